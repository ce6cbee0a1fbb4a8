import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { refuseNumbersWithTextCells } from '../data/numeric-text.js';
import { openDataSource, requireColumns, type DataSource } from '../data/source.js';
import { describeValue } from '../onnx/inspect-model.js';
import { loadModel, type LoadedModel } from '../onnx/load-model.js';
import { TOOL_VERSION } from '../version.js';
import { DEFAULT_BOOTSTRAP, type BootstrapSettings } from './bootstrap.js';
import { confusionMatrix, perClassMetrics } from './classification-metrics.js';
import { prepareClassification } from './classification-rows.js';
import { pairedDeltas, type PairedRows } from './compare.js';
import { classificationCurves } from './curves.js';
import { bindInputs, boundColumns, type InputBinding } from './input-binding.js';
import { DEFAULT_LATENCY, measureLatency, type LatencySettings } from './latency.js';
import {
  measureModels,
  metricTable,
  type MeasuredModels,
  type MetricValue,
  type PreparedModel,
} from './metric-set.js';
import type { MetricsDocument, ModelInfo, SliceEntry } from './metrics-document.js';
import { bindOutputs } from './output-binding.js';
import { predictionsCsv } from './predictions-csv.js';
import { prepareRegression } from './regression-metrics.js';
import { scoreData, type ModelRun, type ModelScores, type ScoredData } from './score.js';
import { createSession } from './session.js';
import { SMALL_SLICE_ROWS, sliceGroups, type SliceGroup, type SliceReading } from './slices.js';

export interface EvaluateRequest {
  model: string;
  data: string;
  target: string;
  baseline?: string;
  slices: string[];
  /** Columns fed in order to a single [N,F] float input. */
  features?: string[];
  /** Also return the per-row predictions CSV. */
  predictions?: boolean;
  bootstrap?: BootstrapSettings;
  latency?: LatencySettings;
}

export interface EvaluationResult {
  document: MetricsDocument;
  predictionsCsv: string | null;
  /** Things the user should know that do not stop the evaluation (the CLI and the action print them). */
  warnings: string[];
}

/** A model that records the column it was trained to predict, evaluated against another column. */
function targetWarnings(models: LoadedModel[], target: string): string[] {
  return models.flatMap((model) => {
    const trainedOn = model.signature.metadata['mlops.target'];
    return trainedOn !== undefined && trainedOn !== target
      ? [`${model.path} was trained to predict "${trainedOn}", and is evaluated against "${target}"`]
      : [];
  });
}

const NUMERIC_SQL =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*|REAL)$/i;

/** Dates and times slice into time bins (a row per distinct time would make slices of one row). */
function sliceReading(sqlType: string): SliceReading {
  if (NUMERIC_SQL.test(sqlType)) return 'number';
  return /^(DATE|TIMESTAMP.*)$/i.test(sqlType) ? 'time' : 'text';
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function prepareRun(model: LoadedModel, source: DataSource, features?: string[]): Promise<ModelRun> {
  const outputs = bindOutputs(model);
  const inputs = bindInputs(model, source.columns, source.file, features);
  const session = await createSession(model, outputs.exposed);
  return { model, session, inputs, outputs };
}

/**
 * Numeric model inputs (and a regression target) read from text columns: any cell that is not a
 * number is refused, naming its row and value (a column of numbers and empty cells casts cleanly).
 */
async function refuseTextForNumbers(source: DataSource, runs: ModelRun[], regressionTarget: string | null) {
  const typeOf = new Map(source.columns.map((column) => [column.name, column.sqlType]));
  const numeric = new Set<string>(regressionTarget ? [regressionTarget] : []);
  for (const run of runs)
    for (const { column, elementType } of boundColumns(run.inputs))
      if (elementType !== 'string') numeric.add(column);
  const textual = [...numeric].filter((column) => !NUMERIC_SQL.test(typeOf.get(column) ?? ''));
  await refuseNumbersWithTextCells(source.connection, 'source', textual, source.file, 'numbers-only');
}

function bindingText(binding: InputBinding): string {
  return binding.mode === 'named'
    ? `named inputs: ${binding.inputs.map((input) => input.name).join(', ')}`
    : `matrix input "${binding.input}" ← ${binding.columns.join(', ')}`;
}

function modelInfo(run: ModelRun): ModelInfo {
  const { model } = run;
  return {
    path: model.path,
    sha256: model.sha256,
    sizeBytes: model.sizeBytes,
    opset: model.signature.opset,
    producer: model.signature.producer,
    inputs: model.signature.inputs.map(describeValue),
    outputs: model.signature.outputs.map(describeValue),
    binding: bindingText(run.inputs),
  };
}

function prepared(
  scored: ScoredData,
  scores: ModelScores,
  classes: string[] | null,
  rows?: Int32Array,
): PreparedModel {
  const pick = <T extends Float64Array | Int32Array>(values: T, width = 1): T => {
    if (!rows) return values;
    const out = new (values.constructor as new (n: number) => T)(rows.length * width);
    rows.forEach((row, i) => out.set(values.subarray(row * width, row * width + width), i * width));
    return out;
  };
  if (classes) {
    return {
      task: 'classification',
      prepared: prepareClassification({
        classes,
        actual: pick(scored.actualClass!),
        predicted: pick(scores.predicted!),
        probabilities: scores.probabilities ? pick(scores.probabilities, classes.length) : null,
      }),
    };
  }
  return {
    task: 'regression',
    prepared: prepareRegression({ actual: pick(scored.actualValue!), predicted: pick(scores.values!) }),
  };
}

function positiveScores(scores: ModelScores, classes: string[] | null): Float64Array | null {
  if (!classes || classes.length !== 2 || !scores.probabilities) return null;
  return Float64Array.from(
    { length: scores.probabilities.length / 2 },
    (_, row) => scores.probabilities![row * 2 + 1],
  );
}

/**
 * Scores the model (and the baseline, on the same rows) over the data and measures everything
 * metrics.json holds: metrics with bootstrap intervals, paired deltas, slices, curves, latency.
 */
export async function evaluate(request: EvaluateRequest): Promise<EvaluationResult> {
  const bootstrap = request.bootstrap ?? DEFAULT_BOOTSTRAP;
  // Hashed while the rows are scored (a read of the whole file, overlapped instead of added).
  const dataSha256 = sha256File(request.data);
  // Awaited below; on an early failure, the rejection must not go unhandled.
  dataSha256.catch(() => undefined);
  const model = await loadModel(request.model);
  const baseline = request.baseline ? await loadModel(request.baseline) : null;
  const source = await openDataSource(request.data);
  const runs: ModelRun[] = [];
  try {
    requireColumns(source, [request.target], 'evaluation');
    requireColumns(source, request.slices, '--slice');
    runs.push(await prepareRun(model, source, request.features));
    if (baseline) runs.push(await prepareRun(baseline, source, request.features));
    const primary = runs[0].outputs;
    if (baseline && runs[1].outputs.task !== primary.task) {
      throw new InputError(
        `the baseline is a ${runs[1].outputs.task} model but the evaluated model is a ${primary.task} model`,
        {
          file: baseline.path,
        },
      );
    }
    const classes = primary.task === 'classification' ? primary.classes : null;
    await refuseTextForNumbers(source, runs, classes ? null : request.target);
    const sliceColumns = request.slices.map((column) => ({
      column,
      reading: sliceReading(source.columns.find((info) => info.name === column)!.sqlType),
    }));
    const scored = await scoreData({ source, target: request.target, classes, runs, sliceColumns });
    const latency = await measureLatency(runs[0], scored.sampleBatch, request.latency ?? DEFAULT_LATENCY);
    const document = await buildDocument(
      request,
      scored,
      runs,
      classes,
      latency,
      bootstrap,
      await dataSha256,
    );
    return {
      document,
      predictionsCsv: request.predictions ? predictionsCsv(scored, classes) : null,
      warnings: targetWarnings(baseline ? [model, baseline] : [model], request.target),
    };
  } finally {
    await Promise.all(runs.map((run) => run.session.release()));
    source.close();
  }
}

async function buildDocument(
  request: EvaluateRequest,
  scored: ScoredData,
  runs: ModelRun[],
  classes: string[] | null,
  latency: Awaited<ReturnType<typeof measureLatency>>,
  bootstrap: BootstrapSettings,
  dataSha256: string,
): Promise<MetricsDocument> {
  const main = scored.models[0];
  const models = scored.models.map((scores) => prepared(scored, scores, classes));
  const groups = sliceGroupsOf(scored);
  const measured = await measureModels(
    [
      ...models.map((model) => ({ model })),
      ...groups.map(({ group }) => ({
        model: prepared(scored, main, classes, group.rows),
        rows: group.rows,
      })),
    ],
    bootstrap,
  );
  const rowsPerSecond = main.inferenceMs > 0 ? scored.rows / (main.inferenceMs / 1000) : 0;
  const serving: Record<string, MetricValue> = {
    latency_p50_ms: { value: latency.singleRow.p50Ms, interval: null },
    latency_p95_ms: { value: latency.singleRow.p95Ms, interval: null },
    latency_p99_ms: { value: latency.singleRow.p99Ms, interval: null },
    rows_per_second: { value: rowsPerSecond, interval: null },
    model_size_bytes: { value: runs[0].model.sizeBytes, interval: null },
  };
  const task = classes ? (classes.length === 2 ? 'binary' : 'multiclass') : 'regression';
  const document: MetricsDocument = {
    schemaVersion: 1,
    tool: { name: 'mlops-actions', version: TOOL_VERSION },
    task,
    n: scored.rows,
    target: request.target,
    model: modelInfo(runs[0]),
    data: { path: request.data, sha256: dataSha256, rows: scored.rows },
    metrics: { ...metricTable(measured, 0), ...serving },
    slices: groups.map(({ column, group }, index) =>
      sliceEntry(column, group, measured, models.length + index),
    ),
    latency: { ...latency, rowsPerSecond, inferenceMs: main.inferenceMs },
    bootstrap: { ...bootstrap, weights: 'poisson', method: 'percentile', confidence: 0.95 },
    comparisons: [],
  };
  if (classes && models[0].task === 'classification') {
    const matrix = confusionMatrix(scored.actualClass!, main.predicted!, classes.length);
    document.classes = classes;
    if (classes.length === 2) document.positiveClass = classes[1];
    document.perClass = perClassMetrics(matrix).map((metrics, index) => ({
      class: classes[index],
      ...metrics,
    }));
    document.confusionMatrix = { labels: classes, matrix };
    document.curves = classificationCurves(models[0].prepared);
  }
  if (runs[1]) {
    const baseline = scored.models[1];
    const rows: PairedRows | null = classes
      ? {
          actual: scored.actualClass!,
          predictedA: main.predicted!,
          predictedB: baseline.predicted!,
          positiveScoresA: positiveScores(main, classes),
          positiveScoresB: positiveScores(baseline, classes),
        }
      : null;
    document.comparisons.push({
      role: 'baseline',
      name: basename(runs[1].model.path),
      model: modelInfo(runs[1]),
      metrics: metricTable(measured, 1),
      deltas: pairedDeltas(measured, 0, 1, rows),
    });
  }
  return document;
}

/** Every slice group of every slice column, in report order. */
function sliceGroupsOf(scored: ScoredData): { column: string; group: SliceGroup }[] {
  return scored.slices.flatMap(({ column, reading, values }) =>
    sliceGroups(values, reading).map((group) => ({ column, group })),
  );
}

function sliceEntry(column: string, group: SliceGroup, measured: MeasuredModels, index: number): SliceEntry {
  return {
    column,
    label: group.label,
    ...(group.bin ? { bin: group.bin } : { value: group.value ?? null }),
    n: group.rows.length,
    small: group.rows.length < SMALL_SLICE_ROWS,
    metrics: metricTable(measured, index),
  };
}
