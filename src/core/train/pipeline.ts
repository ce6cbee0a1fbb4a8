import { InputError } from '../errors.js';
import { openDataSource, requireColumns } from '../data/source.js';
import { exportModel, OUTPUT_NAMES } from '../onnx/export-model.js';
import { TOOL_VERSION } from '../version.js';
import { refuseNumbersWithTextCells } from '../data/numeric-text.js';
import { selectFeatures, type FeatureColumn } from './columns.js';
import { loadColumns, type LoadedTable } from './load-columns.js';
import type { DesignMatrix, Estimator, FittedEstimator, Task } from './model-types.js';
import { parseParamsWith, type ParamSpecs } from './params.js';
import { buildDesignMatrix, fitPreprocessing, type PreprocessingPlan } from './preprocess.js';
import { findEstimator } from './registry.js';
import { splitRows } from './split.js';
import { prepareTarget, targetReadKind, type PreparedTarget } from './target.js';
import {
  TRAINING_SCHEMA_VERSION,
  featureRecord,
  fileSha256,
  sha256,
  type BuiltInTrainingRecord,
  type ModelRecord,
} from './training-record.js';
import { validationMetrics } from './validation-metrics.js';
import { featureFeeds, maxDifference, runExportedModel } from './verify-export.js';

export interface TrainOptions {
  data: string;
  target: string;
  algorithm: string;
  /** Explicit feature columns; default every usable column but the target. */
  features?: string[];
  /** User key=value parameters (the estimator's and the pipeline's own `validation_fraction`). */
  params: Record<string, string>;
  seed: number;
}

/** Parameters of the pipeline itself, valid for every algorithm. */
export interface PipelineParams {
  validation_fraction: number;
}

export const PIPELINE_PARAM_SPECS: ParamSpecs<PipelineParams> = {
  validation_fraction: {
    kind: 'number',
    min: 0,
    max: 0.9,
    description: 'share of rows held out for validation (seeded; stratified for classifiers)',
  },
};
const PIPELINE_DEFAULTS: PipelineParams = { validation_fraction: 0.2 };

/** predict() and the exported model must agree this closely (probabilities; relative for regression values). */
export const EXPORT_TOLERANCE = 1e-5;
const EXPORT_CHECK_ROWS = 2000;

export interface TrainedModel {
  model: Uint8Array;
  training: BuiltInTrainingRecord;
  /** Things the user should know (skipped columns, dropped rows), one line each. */
  notes: string[];
  /** The in-memory pieces, for parity tests and benchmarks. */
  details: {
    table: LoadedTable;
    features: FeatureColumn[];
    plan: PreprocessingPlan;
    target: PreparedTarget;
    trainRows: Int32Array;
    validationRows: Int32Array;
    fitted: FittedEstimator;
  };
}

function splitParams(estimator: Estimator<unknown>, raw: Record<string, string>) {
  const pipelineKeys = Object.keys(PIPELINE_PARAM_SPECS);
  const estimatorKeys = Object.keys(estimator.defaults as object);
  const pipelineRaw: Record<string, string> = {};
  const estimatorRaw: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (pipelineKeys.includes(key)) pipelineRaw[key] = value;
    else if (estimatorKeys.includes(key)) estimatorRaw[key] = value;
    else {
      throw new InputError(
        `unknown parameter for ${estimator.name}; valid parameters: ${[...estimatorKeys, ...pipelineKeys].join(', ')}`,
        { key },
      );
    }
  }
  return {
    pipeline: parseParamsWith(estimator.name, pipelineRaw, PIPELINE_PARAM_SPECS, PIPELINE_DEFAULTS),
    estimator: estimator.parseParams(estimatorRaw),
  };
}

function pick<T extends { length: number; [index: number]: number }>(
  values: T,
  positions: Int32Array,
): Float64Array {
  return Float64Array.from(positions, (position) => values[position]);
}

function modelSignature(features: FeatureColumn[], task: Task, classes: PreparedTarget['classes']) {
  const inputs = features.map((feature) => ({
    name: feature.name,
    type: feature.kind === 'numeric' ? 'float' : 'string',
    shape: ['N', 1] as (number | string)[],
  }));
  const outputs =
    task.kind === 'regression'
      ? [{ name: OUTPUT_NAMES.value, type: 'float', shape: ['N', 1] as (number | string)[] }]
      : [
          {
            name: OUTPUT_NAMES.label,
            type: classes!.every((label) => typeof label === 'number') ? 'int64' : 'string',
            shape: ['N'] as (number | string)[],
          },
          {
            name: OUTPUT_NAMES.probabilities,
            type: 'float',
            shape: ['N', task.classCount] as (number | string)[],
          },
        ];
  return { inputs, outputs };
}

/** Checks the exported bytes in onnxruntime-node against predict() on held-out rows; a mismatch is a bug. */
async function checkExport(
  model: Uint8Array,
  table: LoadedTable,
  features: FeatureColumn[],
  rows: Int32Array,
  expected: DesignMatrix,
  fitted: FittedEstimator,
  task: Task,
) {
  const predicted = fitted.predict(expected);
  const { scores } = await runExportedModel(model, featureFeeds(table, features, rows), task);
  const difference = maxDifference(predicted, scores, task);
  if (!(difference <= EXPORT_TOLERANCE * 10)) {
    throw new Error(
      `the exported ONNX model disagrees with the trained model by ${difference} (a bug; please report it)`,
    );
  }
  return { rows: rows.length, maxDifference: difference, tolerance: EXPORT_TOLERANCE };
}

/**
 * The built-in trainer: data file → features and target → seeded split → preprocessing learned on
 * the training rows → estimator → one ONNX graph (preprocessing + model) checked in onnxruntime.
 */
export async function trainBuiltIn(options: TrainOptions): Promise<TrainedModel> {
  const started = performance.now();
  const estimator = findEstimator(options.algorithm);
  const params = splitParams(estimator, options.params);
  const source = await openDataSource(options.data);
  const file = options.data;
  try {
    requireColumns(source, [options.target], 'the target');
    const targetColumn = source.columns.find((column) => column.name === options.target)!;
    const readKind = targetReadKind(targetColumn.sqlType);
    if (readKind === 'unsupported') {
      throw new InputError(`a ${targetColumn.sqlType} column cannot be the target`, {
        file,
        column: options.target,
      });
    }
    const selection = selectFeatures(source.columns, options.target, options.features, file);
    const clash = selection.features.find((feature) =>
      Object.values(OUTPUT_NAMES).includes(feature.name as never),
    );
    if (clash) {
      throw new InputError(
        `a feature may not be named like a model output (${Object.values(OUTPUT_NAMES).join(', ')})`,
        {
          file,
          column: clash.name,
        },
      );
    }
    const { features } = selection;
    const textColumns = [
      ...features.filter((feature) => feature.kind === 'categorical').map((feature) => feature.name),
      ...(readKind === 'text' ? [options.target] : []),
    ];
    await refuseNumbersWithTextCells(source.connection, 'source', textColumns, file, 'mostly-numbers');
    const table = await loadColumns(source, features, { name: options.target, kind: readKind });
    const target = prepareTarget(table.target, {
      name: options.target,
      sqlType: targetColumn.sqlType,
      file,
      algorithm: estimator.name,
      tasks: estimator.tasks,
    });
    const { task, classes } = target;
    if (target.rows.length < 2) {
      throw new InputError(`need at least 2 rows with a target value, found ${target.rows.length}`, {
        file,
        column: options.target,
      });
    }
    const split = splitRows(
      target.rows.length,
      params.pipeline.validation_fraction,
      options.seed,
      task.kind === 'regression' ? undefined : target.y,
    );
    const trainRows = Int32Array.from(split.train, (position) => target.rows[position]);
    const validationRows = Int32Array.from(split.validation, (position) => target.rows[position]);
    const plan = fitPreprocessing(table, features, trainRows, { scale: estimator.scaleFeatures ?? false });
    const train = buildDesignMatrix(table, features, plan, trainRows);
    const validation = validationRows.length
      ? buildDesignMatrix(table, features, plan, validationRows)
      : undefined;
    const trainTarget = pick(target.y, split.train);
    const validationTarget = pick(target.y, split.validation);
    const fitted = await estimator.fit(
      {
        train,
        trainTarget,
        validation,
        validationTarget: validation ? validationTarget : undefined,
        task,
        seed: options.seed,
      },
      params.estimator,
    );
    const model = exportModel({
      inputs: features,
      plan,
      task,
      classes,
      target: options.target,
      fitted,
      algorithm: estimator.name,
      producerVersion: TOOL_VERSION,
    });
    const checkRows = (validationRows.length ? validationRows : trainRows).subarray(0, EXPORT_CHECK_ROWS);
    const exportCheck = await checkExport(
      model,
      table,
      features,
      checkRows,
      buildDesignMatrix(table, features, plan, checkRows),
      fitted,
      task,
    );
    const metrics = validation ? validationMetrics(task, fitted.predict(validation), validationTarget) : {};
    const { curve = [], ...estimatorSummary } = fitted.summary;
    const signature = modelSignature(features, task, classes);
    const modelRecord: ModelRecord = {
      file: 'model.onnx',
      sha256: sha256(model),
      bytes: model.length,
      ...signature,
    };
    const notes = [
      ...selection.skipped.map(
        (skipped) =>
          `skipped column "${skipped.name}" (${skipped.reason}): models take numbers and text; derive a feature from it (an hour, a weekday) to use it`,
      ),
      ...(target.missing ? [`left out ${target.missing} row(s) without a target value`] : []),
    ];
    const training: BuiltInTrainingRecord = {
      schemaVersion: TRAINING_SCHEMA_VERSION,
      mode: 'built-in',
      algorithm: estimator.name,
      params: { ...(params.estimator as object), ...params.pipeline },
      seed: options.seed,
      task: task.kind,
      target: { name: options.target, sqlType: targetColumn.sqlType, missingRows: target.missing },
      classes,
      features: [...plan.numeric, ...plan.categorical]
        .sort(
          (a, b) =>
            features.findIndex((f) => f.name === a.name) - features.findIndex((f) => f.name === b.name),
        )
        .map(featureRecord),
      skippedColumns: selection.skipped,
      data: { file, sha256: await fileSha256(file), rows: table.rows },
      split: {
        method: split.method,
        validationFraction: params.pipeline.validation_fraction,
        seed: options.seed,
        trainRows: trainRows.length,
        validationRows: validationRows.length,
      },
      validationMetrics: metrics,
      estimator: estimatorSummary,
      curve,
      exportCheck,
      model: modelRecord,
      durationMs: Math.round(performance.now() - started),
      tool: { name: 'mlops-actions', version: TOOL_VERSION },
    };
    return {
      model,
      training,
      notes,
      details: { table, features, plan, target, trainRows, validationRows, fitted },
    };
  } finally {
    source.close();
  }
}
