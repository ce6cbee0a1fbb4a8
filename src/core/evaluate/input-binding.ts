import { InputError } from '../errors.js';
import type { ColumnInfo } from '../data/source.js';
import { describeValue } from '../onnx/inspect-model.js';
import type { LoadedModel } from '../onnx/load-model.js';

export type InputElementType = 'float' | 'double' | 'int64' | 'string';

/**
 * How data columns feed the model: one input per column by name (our own models: [N,1] each), or one
 * float matrix [N,F] filled with the given columns in order (models exported from PyTorch or skl2onnx).
 */
export type InputBinding =
  | { mode: 'named'; inputs: { name: string; column: string; elementType: InputElementType }[] }
  | { mode: 'matrix'; input: string; elementType: 'float' | 'double'; columns: string[] };

const SUPPORTED = new Set<string>(['float', 'double', 'int64', 'string']);

function featuresFromMetadata(model: LoadedModel): string[] | null {
  try {
    const parsed: unknown = JSON.parse(model.signature.metadata['mlops.features'] ?? 'null');
    return Array.isArray(parsed) && parsed.every((name) => typeof name === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Matches the model's inputs to the data's columns. `features` (the --features list) selects the
 * matrix mode; otherwise every input must be named after a column, or a single float matrix input
 * takes the columns listed in the model's `mlops.features` metadata. A mismatch is an InputError
 * naming the model's inputs and the data's columns.
 */
export function bindInputs(
  model: LoadedModel,
  columns: ColumnInfo[],
  dataFile: string,
  features?: string[],
): InputBinding {
  const { inputs } = model.signature;
  const columnNames = columns.map((column) => column.name);
  const present = new Set(columnNames);
  const described = `model inputs: ${inputs.map(describeValue).join('; ')}; data columns: ${columnNames.join(', ')}`;
  const single = inputs.length === 1 ? inputs[0] : null;
  const isMatrix =
    single !== null &&
    (single.elementType === 'float' || single.elementType === 'double') &&
    (single.shape === null || single.shape.length === 2);

  const matrix = (list: string[]): InputBinding => {
    const input = single!;
    const expected = input.shape?.[1];
    if (typeof expected === 'number' && expected !== list.length) {
      throw new InputError(
        `model input "${input.name}" takes ${expected} features per row but ${list.length} were given (${list.join(', ')}); ${described}`,
        { file: model.path },
      );
    }
    const missing = list.find((name) => !present.has(name));
    if (missing !== undefined) {
      throw new InputError(`feature column "${missing}" is not in the data; ${described}`, {
        file: dataFile,
        column: missing,
      });
    }
    return {
      mode: 'matrix',
      input: input.name,
      elementType: input.elementType as 'float' | 'double',
      columns: list,
    };
  };

  if (features?.length) {
    if (!isMatrix) {
      throw new InputError(
        `--features feeds a model with a single float [N,F] input, but this model has ${inputs.length} input(s); ${described}`,
        { file: model.path },
      );
    }
    return matrix(features);
  }
  if (inputs.every((input) => present.has(input.name))) {
    return {
      mode: 'named',
      inputs: inputs.map((input) => {
        if (input.kind !== 'tensor' || !SUPPORTED.has(input.elementType ?? '')) {
          throw new InputError(
            `model input ${describeValue(input)} has a type evaluate cannot feed (float, double, int64 or string tensors)`,
            {
              file: model.path,
            },
          );
        }
        return { name: input.name, column: input.name, elementType: input.elementType as InputElementType };
      }),
    };
  }
  const fromMetadata = featuresFromMetadata(model);
  if (isMatrix && fromMetadata) return matrix(fromMetadata);
  const missing = inputs.filter((input) => !present.has(input.name)).map((input) => `"${input.name}"`);
  throw new InputError(
    `the model's inputs do not match the data: no column named ${missing.join(', ')}${isMatrix ? '; for a model with one [N,F] float input, pass --features with the columns in order' : ''}; ${described}`,
    { file: model.path },
  );
}

/** The data columns a binding reads, each with the SQL type it is read as. */
export function boundColumns(binding: InputBinding): { column: string; elementType: InputElementType }[] {
  return binding.mode === 'named'
    ? binding.inputs.map(({ column, elementType }) => ({ column, elementType }))
    : binding.columns.map((column) => ({ column, elementType: binding.elementType }));
}
