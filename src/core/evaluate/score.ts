import * as ort from 'onnxruntime-node';
import { performance } from 'node:perf_hooks';
import { InputError } from '../errors.js';
import { readError } from '../data/read-errors.js';
import { sqlIdentifier, type DataSource } from '../data/source.js';
import type { LoadedModel } from '../onnx/load-model.js';
import { boundColumns, type InputBinding, type InputElementType } from './input-binding.js';
import type { OutputBinding } from './output-binding.js';
import type { SliceReading } from './slices.js';

/** A model ready to score: its session and how its inputs and outputs bind. */
export interface ModelRun {
  model: LoadedModel;
  session: ort.InferenceSession;
  inputs: InputBinding;
  outputs: OutputBinding;
}

/** The columns of one batch, each read once as the type its consumers need. */
export type BatchColumns = Map<string, Float64Array | (string | null)[] | (bigint | null)[]>;

export interface ModelScores {
  /** Predicted class index per row (classification). */
  predicted: Int32Array | null;
  /** Row-major [n × k] probabilities in the evaluated model's class order (classification, when output). */
  probabilities: Float64Array | null;
  /** Predicted value per row (regression). */
  values: Float64Array | null;
  /** Time spent inside session.run over all batches. */
  inferenceMs: number;
}

export interface ScoredData {
  rows: number;
  /** True class index per row (classification) or true value (regression). */
  actualClass: Int32Array | null;
  actualValue: Float64Array | null;
  models: ModelScores[];
  /** Raw values of each slice column in row order: numbers or epoch seconds (NaN = missing), or text (null = missing). */
  slices: { column: string; reading: SliceReading; values: Float64Array | (string | null)[] }[];
  /** The first batch's columns, to build latency feeds from real rows. */
  sampleBatch: { columns: BatchColumns; rows: number };
}

export interface ScoreRequest {
  source: DataSource;
  target: string;
  /** Class labels of the evaluated model (classification); the baseline's columns are reordered to them. */
  classes: string[] | null;
  runs: ModelRun[];
  /** How each slice column is read: numbers, times (as epoch seconds, binned like numbers) or text. */
  sliceColumns: { column: string; reading: SliceReading }[];
}

const SQL_TYPE: Record<InputElementType, string> = {
  float: 'DOUBLE',
  double: 'DOUBLE',
  int64: 'BIGINT',
  string: 'VARCHAR',
};

function columnKey(column: string, elementType: InputElementType): string {
  return `${SQL_TYPE[elementType]}:${column}`;
}

class Growing<T extends Float64Array | Int32Array> {
  length = 0;
  constructor(
    public values: T,
    private readonly make: (size: number) => T,
  ) {}

  reserve(extra: number): void {
    if (this.length + extra <= this.values.length) return;
    const grown = this.make(Math.max(this.values.length * 2, this.length + extra));
    grown.set(this.values);
    this.values = grown;
  }

  finish(): T {
    return this.values.slice(0, this.length) as T;
  }
}

const floats = (size: number) => new Growing(new Float64Array(size), (n) => new Float64Array(n));
const ints = (size: number) => new Growing(new Int32Array(size), (n) => new Int32Array(n));

/** Feeds for rows [start, end) of a batch. */
export function buildFeeds(
  binding: InputBinding,
  columns: BatchColumns,
  start: number,
  end: number,
): Record<string, ort.Tensor> {
  const rows = end - start;
  if (binding.mode === 'matrix') {
    const width = binding.columns.length;
    const data =
      binding.elementType === 'float' ? new Float32Array(rows * width) : new Float64Array(rows * width);
    binding.columns.forEach((column, j) => {
      const values = columns.get(columnKey(column, binding.elementType)) as Float64Array;
      for (let row = 0; row < rows; row++) data[row * width + j] = values[start + row];
    });
    return {
      [binding.input]: new ort.Tensor(binding.elementType === 'float' ? 'float32' : 'float64', data, [
        rows,
        width,
      ]),
    };
  }
  const feeds: Record<string, ort.Tensor> = {};
  for (const { name, column, elementType } of binding.inputs) {
    const values = columns.get(columnKey(column, elementType))!;
    if (elementType === 'float')
      feeds[name] = new ort.Tensor(
        'float32',
        Float32Array.from((values as Float64Array).subarray(start, end)),
        [rows, 1],
      );
    else if (elementType === 'double')
      feeds[name] = new ort.Tensor('float64', (values as Float64Array).slice(start, end), [rows, 1]);
    else if (elementType === 'int64')
      feeds[name] = new ort.Tensor('int64', BigInt64Array.from((values as bigint[]).slice(start, end)), [
        rows,
        1,
      ]);
    else
      feeds[name] = new ort.Tensor(
        'string',
        (values as (string | null)[]).slice(start, end).map((text) => text ?? ''),
        [rows, 1],
      );
  }
  return feeds;
}

/** Fetch list of a model: only the tensors evaluate reads (never a ZipMap's sequence). */
export function fetchNames(outputs: OutputBinding): string[] {
  if (outputs.task === 'regression') return [outputs.valueOutput];
  return [outputs.labelOutput, outputs.probabilityOutput].filter((name): name is string => name !== null);
}

/** Text of a target or label value as class labels are compared: 1.0 → "1", true → "1" when classes are 0/1. */
function classText(value: unknown, classes: Set<string>): string {
  if (typeof value === 'boolean') {
    if (classes.has(String(value))) return String(value);
    return value ? '1' : '0';
  }
  return String(value);
}

/**
 * Streams the data through every model in DuckDB-sized batches (the file is never loaded whole):
 * each batch's columns are read once, fed to each model, and only the predictions are kept, in
 * input row order. Errors name the file and the 1-based data row.
 */
export async function scoreData(request: ScoreRequest): Promise<ScoredData> {
  const { source, target, runs, classes } = request;
  const wanted = new Map<string, { column: string; elementType: InputElementType }>();
  for (const run of runs)
    for (const entry of boundColumns(run.inputs))
      wanted.set(columnKey(entry.column, entry.elementType), entry);
  const keys = [...wanted.keys()];
  const expressions = [
    ...keys.map((key) => {
      const { column, elementType } = wanted.get(key)!;
      return `CAST(${sqlIdentifier(column)} AS ${SQL_TYPE[elementType]})`;
    }),
    classes ? sqlIdentifier(target) : `CAST(${sqlIdentifier(target)} AS DOUBLE)`,
    ...request.sliceColumns.map(({ column, reading }) =>
      reading === 'time'
        ? `CAST(epoch(${sqlIdentifier(column)}) AS DOUBLE)`
        : `CAST(${sqlIdentifier(column)} AS ${reading === 'number' ? 'DOUBLE' : 'VARCHAR'})`,
    ),
  ];
  const classIndex = classes ? new Map(classes.map((label, index) => [label, index])) : null;
  const classSet = new Set(classes ?? []);
  const actualClass = ints(1 << 14);
  const actualValue = floats(1 << 14);
  const perModel = runs.map((run) => ({
    predicted: ints(1 << 14),
    probabilities: floats(1 << 15),
    values: floats(1 << 14),
    inferenceMs: 0,
    hasProbabilities: run.outputs.task === 'classification' && run.outputs.probabilityOutput !== null,
    columnOrder: columnOrderFor(run, classes),
  }));
  const sliceValues = request.sliceColumns.map(({ reading }) =>
    reading !== 'text' ? floats(1 << 14) : { texts: [] as (string | null)[] },
  );
  let sampleBatch: ScoredData['sampleBatch'] | null = null;
  let rowsSeen = 0;

  let result;
  try {
    result = await source.connection.stream(`SELECT ${expressions.join(', ')} FROM source`);
  } catch (error) {
    throw readError(source, error);
  }
  for (;;) {
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (error) {
      throw readError(source, error);
    }
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    const columns: BatchColumns = new Map();
    keys.forEach((key, index) => {
      const vector = chunk.getColumnVector(index);
      const { elementType } = wanted.get(key)!;
      if (elementType === 'float' || elementType === 'double') {
        const values = new Float64Array(rows);
        for (let row = 0; row < rows; row++)
          values[row] = (vector.getItem(row) as number | null) ?? Number.NaN;
        columns.set(key, values);
      } else {
        const values = Array.from(
          { length: rows },
          (_, row) => vector.getItem(row) as string | bigint | null,
        );
        if (elementType === 'int64') {
          const missing = values.indexOf(null);
          if (missing >= 0) {
            throw new InputError('missing value, but the model input is int64 and cannot take one', {
              file: source.file,
              row: rowsSeen + missing + 1,
              column: wanted.get(key)!.column,
            });
          }
        }
        columns.set(key, values as (string | null)[]);
      }
    });
    readTarget(chunk.getColumnVector(keys.length), rows);
    request.sliceColumns.forEach((_, index) => {
      const vector = chunk.getColumnVector(keys.length + 1 + index);
      const sink = sliceValues[index];
      if (sink instanceof Growing) {
        sink.reserve(rows);
        for (let row = 0; row < rows; row++)
          sink.values[sink.length++] = (vector.getItem(row) as number | null) ?? Number.NaN;
      } else {
        for (let row = 0; row < rows; row++) sink.texts.push(vector.getItem(row) as string | null);
      }
    });
    for (let m = 0; m < runs.length; m++) await scoreBatch(m, columns, rows);
    if (!sampleBatch) sampleBatch = { columns, rows };
    rowsSeen += rows;
  }
  if (rowsSeen === 0 || !sampleBatch) throw new InputError('no rows to evaluate', { file: source.file });

  return {
    rows: rowsSeen,
    actualClass: classes ? actualClass.finish() : null,
    actualValue: classes ? null : actualValue.finish(),
    models: perModel.map((scores) => ({
      predicted: classes ? scores.predicted.finish() : null,
      probabilities: classes && scores.hasProbabilities ? scores.probabilities.finish() : null,
      values: classes ? null : scores.values.finish(),
      inferenceMs: scores.inferenceMs,
    })),
    slices: request.sliceColumns.map(({ column, reading }, index) => {
      const sink = sliceValues[index];
      return { column, reading, values: sink instanceof Growing ? sink.finish() : sink.texts };
    }),
    sampleBatch,
  };

  function readTarget(vector: { getItem(row: number): unknown }, rows: number): void {
    if (classIndex) {
      actualClass.reserve(rows);
      for (let row = 0; row < rows; row++) {
        const raw = vector.getItem(row);
        if (raw === null || raw === undefined) {
          throw new InputError('the target is missing', {
            file: source.file,
            row: rowsSeen + row + 1,
            column: target,
          });
        }
        const index = classIndex.get(classText(raw, classSet));
        if (index === undefined) {
          throw new InputError(
            `label "${String(raw)}" is not one of the model's classes (${classes!.join(', ')}): the model never saw it`,
            { file: source.file, row: rowsSeen + row + 1, column: target },
          );
        }
        actualClass.values[actualClass.length++] = index;
      }
    } else {
      actualValue.reserve(rows);
      for (let row = 0; row < rows; row++) {
        const raw = vector.getItem(row) as number | null;
        if (raw === null || Number.isNaN(raw)) {
          throw new InputError('the target is missing', {
            file: source.file,
            row: rowsSeen + row + 1,
            column: target,
          });
        }
        actualValue.values[actualValue.length++] = raw;
      }
    }
  }

  async function scoreBatch(m: number, columns: BatchColumns, rows: number): Promise<void> {
    const run = runs[m];
    const scores = perModel[m];
    const feeds = buildFeeds(run.inputs, columns, 0, rows);
    const started = performance.now();
    let outputs: ort.InferenceSession.OnnxValueMapType;
    try {
      outputs = await run.session.run(feeds, fetchNames(run.outputs));
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new InputError(`onnxruntime failed on rows ${rowsSeen + 1}-${rowsSeen + rows}: ${message}`, {
        file: run.model.path,
      });
    }
    scores.inferenceMs += performance.now() - started;
    const binding = run.outputs;
    const nanRow = (row: number) =>
      new InputError('the model predicted NaN (a missing input the model cannot handle?)', {
        file: run.model.path,
        row: rowsSeen + row + 1,
      });
    if (binding.task === 'regression') {
      const data = outputs[binding.valueOutput].data as Float32Array | Float64Array;
      if (data.length !== rows) {
        throw new InputError(
          `output "${binding.valueOutput}" has ${data.length / rows} values per row; a regressor must give one`,
          { file: run.model.path },
        );
      }
      scores.values.reserve(rows);
      for (let row = 0; row < rows; row++) {
        if (Number.isNaN(data[row])) throw nanRow(row);
        scores.values.values[scores.values.length++] = data[row];
      }
      return;
    }
    const k = classes!.length;
    let probabilities: Float64Array | null = null;
    if (binding.probabilityOutput) {
      const data = outputs[binding.probabilityOutput].data as Float32Array | Float64Array;
      if (data.length !== rows * k) {
        throw new InputError(
          `output "${binding.probabilityOutput}" has ${data.length / rows} columns per row but the model has ${k} classes (${classes!.join(', ')})`,
          { file: run.model.path },
        );
      }
      probabilities = new Float64Array(rows * k);
      const order = scores.columnOrder;
      for (let row = 0; row < rows; row++) {
        for (let c = 0; c < k; c++) {
          const p = data[row * k + order[c]];
          if (Number.isNaN(p)) throw nanRow(row);
          if (p < -1e-6 || p > 1 + 1e-6) {
            throw new InputError(
              `output "${binding.probabilityOutput}" holds ${p}, not a probability (export softmax/sigmoid probabilities, not logits)`,
              { file: run.model.path, row: rowsSeen + row + 1 },
            );
          }
          probabilities[row * k + c] = p;
        }
      }
      scores.probabilities.reserve(rows * k);
      scores.probabilities.values.set(probabilities, scores.probabilities.length);
      scores.probabilities.length += rows * k;
    }
    scores.predicted.reserve(rows);
    if (binding.labelOutput) {
      const data = outputs[binding.labelOutput].data as ArrayLike<unknown>;
      const indexOf = new Map(classes!.map((label, index) => [label, index]));
      for (let row = 0; row < rows; row++) {
        const index = indexOf.get(classText(data[row], classSet));
        if (index === undefined) {
          throw new InputError(
            `the model predicted label "${String(data[row])}", which is not among its classes (${classes!.join(', ')})`,
            {
              file: run.model.path,
              row: rowsSeen + row + 1,
            },
          );
        }
        scores.predicted.values[scores.predicted.length++] = index;
      }
    } else {
      for (let row = 0; row < rows; row++) {
        let best = 0;
        for (let c = 1; c < k; c++)
          if (probabilities![row * k + c] > probabilities![row * k + best]) best = c;
        scores.predicted.values[scores.predicted.length++] = best;
      }
    }
  }
}

/** For each class of the evaluated model, the matching probability column of this model. */
function columnOrderFor(run: ModelRun, classes: string[] | null): number[] {
  if (!classes || run.outputs.task !== 'classification') return [];
  const own = run.outputs.classes;
  const order = classes.map((label) => own.indexOf(label));
  if (own.length !== classes.length || order.includes(-1)) {
    throw new InputError(
      `the model's classes (${own.join(', ')}) differ from the evaluated model's (${classes.join(', ')}); a baseline must predict the same classes`,
      { file: run.model.path },
    );
  }
  return order;
}
