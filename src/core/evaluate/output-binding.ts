import { InputError } from '../errors.js';
import {
  attributeValue,
  describeValue,
  type ModelProto,
  type ValueSignature,
} from '../onnx/inspect-model.js';
import type { LoadedModel } from '../onnx/load-model.js';

/** Which model outputs hold the predictions, and in which class order. */
export type OutputBinding =
  | {
      task: 'classification';
      /** Class labels as text, in the order of the probability columns. */
      classes: string[];
      labelOutput: string | null;
      probabilityOutput: string | null;
      /** Tensors to add to the graph's outputs (the input of a ZipMap, which onnxruntime-node cannot return). */
      exposed: string[];
    }
  | { task: 'regression'; valueOutput: string; exposed: string[] };

const LABEL_TYPES = new Set(['int64', 'int32', 'string']);
const FLOAT_TYPES = new Set(['float', 'double']);
const CLASSIFIER_OPS = new Set(['LinearClassifier', 'TreeEnsembleClassifier', 'SVMClassifier', 'ZipMap']);
const PROBABILITY_NAMES = [
  'probabilities',
  'output_probability',
  'probability',
  'probability_tensor',
  'probs',
];
const LABEL_NAMES = ['label', 'output_label', 'labels', 'predicted_label'];

function rank(value: ValueSignature): number | null {
  return value.shape ? value.shape.length : null;
}

/** Last dimension when known as a number. */
function width(value: ValueSignature): number | null {
  const last = value.shape?.[value.shape.length - 1];
  return typeof last === 'number' ? last : null;
}

function preferred<T extends { name: string }>(candidates: T[], names: string[]): T | undefined {
  return (
    names.map((name) => candidates.find((candidate) => candidate.name === name)).find(Boolean) ??
    candidates[0]
  );
}

/** The tensor a ZipMap output is made from, for each sequence-of-maps output. */
function zipMapSources(
  proto: ModelProto,
  outputs: ValueSignature[],
): { tensor: string; classes: string[] | null }[] {
  const nodes = proto.graph?.node ?? [];
  return outputs
    .filter((output) => output.kind === 'sequence' || output.kind === 'map')
    .flatMap((output) => {
      const node = nodes.find(
        (candidate) => candidate.opType === 'ZipMap' && candidate.output?.includes(output.name),
      );
      if (!node?.input?.[0]) return [];
      return [{ tensor: node.input[0], classes: classLabelsOf(node) }];
    });
}

function classLabelsOf(node: NonNullable<NonNullable<ModelProto['graph']>['node']>[number]): string[] | null {
  for (const name of ['classlabels_strings', 'classlabels_int64s', 'classlabels_ints']) {
    const value = attributeValue(node, name);
    if (Array.isArray(value) && value.length) return value.map(String);
  }
  return null;
}

function classesFromMetadata(model: LoadedModel): string[] | null {
  const raw = model.signature.metadata['mlops.classes'];
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.length >= 2) return parsed.map(String);
  } catch {
    // fall through to the error below
  }
  throw new InputError('metadata "mlops.classes" is not a JSON array of at least two class labels', {
    file: model.path,
    key: 'mlops.classes',
  });
}

/**
 * Finds the prediction outputs: a label tensor and/or a probability tensor [N,k] (including the
 * tensor behind a skl2onnx ZipMap) make a classifier; otherwise a float tensor is the regression
 * value. Class order comes from the `mlops.classes` metadata, else the ZipMap/classifier node's
 * class labels, else the probability columns are numbered 0..k-1.
 */
export function bindOutputs(model: LoadedModel): OutputBinding {
  const { outputs } = model.signature;
  const tensors = outputs.filter((output) => output.kind === 'tensor');
  const zipMaps = zipMapSources(model.proto, outputs);
  const labels = tensors.filter(
    (output) => LABEL_TYPES.has(output.elementType ?? '') && (rank(output) === null || rank(output)! <= 2),
  );
  const probabilities = tensors.filter(
    (output) => FLOAT_TYPES.has(output.elementType ?? '') && rank(output) === 2 && width(output) !== 1,
  );
  const label = preferred(labels, LABEL_NAMES);
  const probability = zipMaps.length
    ? { name: zipMaps[0].tensor }
    : preferred(probabilities, PROBABILITY_NAMES);

  if (label || probability) {
    const nodeClasses = (model.proto.graph?.node ?? [])
      .filter((node) => CLASSIFIER_OPS.has(node.opType ?? ''))
      .map(classLabelsOf)
      .find(Boolean);
    const k =
      probability && !zipMaps.length ? width(probabilities.find((p) => p.name === probability.name)!) : null;
    const classes =
      classesFromMetadata(model) ??
      zipMaps[0]?.classes ??
      nodeClasses ??
      (k ? Array.from({ length: k }, (_, index) => String(index)) : null);
    if (!classes) {
      throw new InputError(
        `cannot tell the model's classes: no "mlops.classes" metadata, no classifier node with class labels, and the probability output's width is unknown (outputs: ${outputs.map(describeValue).join('; ')})`,
        { file: model.path },
      );
    }
    return {
      task: 'classification',
      classes,
      labelOutput: label?.name ?? null,
      probabilityOutput: probability?.name ?? null,
      exposed: zipMaps.length ? [zipMaps[0].tensor] : [],
    };
  }
  const value = preferred(
    tensors.filter((output) => FLOAT_TYPES.has(output.elementType ?? '')),
    ['variable', 'output', 'predictions', 'prediction'],
  );
  if (!value) {
    throw new InputError(
      `found no prediction output: expected a label or probability tensor (classifier) or a float tensor (regressor); outputs: ${outputs.map(describeValue).join('; ')}`,
      { file: model.path },
    );
  }
  return { task: 'regression', valueOutput: value.name, exposed: [] };
}
