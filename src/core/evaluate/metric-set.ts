import { bootstrapReplicates, percentileInterval, type BootstrapSettings } from './bootstrap.js';
import {
  CLASSIFICATION_METRICS,
  classificationMetrics,
  type PreparedClassification,
} from './classification-metrics.js';
import { REGRESSION_METRICS, regressionMetrics, type PreparedRegression } from './regression-metrics.js';
import type { Weights } from './ranking.js';

/** One model's predictions on the rows, prepared once for every resample. */
export type PreparedModel =
  | { task: 'classification'; prepared: PreparedClassification }
  | { task: 'regression'; prepared: PreparedRegression };

export interface MetricValue {
  value: number | null;
  interval: [number, number] | null;
}

export function metricNames(task: PreparedModel['task']): readonly string[] {
  return task === 'classification' ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
}

function values(model: PreparedModel, weights: Weights): number[] {
  const computed: Record<string, number> =
    model.task === 'classification'
      ? classificationMetrics(model.prepared, weights)
      : regressionMetrics(model.prepared, weights);
  return metricNames(model.task).map((name) => computed[name]);
}

export interface MeasuredModels {
  names: readonly string[];
  /** Per model, per metric: the value on all rows (NaN where undefined). */
  values: number[][];
  /** Per model, per metric: bootstrap replicates, all models on the same resamples. */
  replicates: Float64Array[][];
}

/**
 * Every metric of every model on the same rows, plus bootstrap replicates that share their
 * resamples across models (which makes paired deltas a subtraction).
 */
export function measureModels(
  models: PreparedModel[],
  rows: number,
  settings: BootstrapSettings,
): MeasuredModels {
  const names = metricNames(models[0].task);
  const width = names.length;
  const replicates = bootstrapReplicates(
    rows,
    (counts) => models.flatMap((model) => values(model, counts)),
    width * models.length,
    settings,
  );
  return {
    names,
    values: models.map((model) => values(model, null)),
    replicates: models.map((_, m) => replicates.slice(m * width, (m + 1) * width)),
  };
}

/** `{ name: { value, interval } }` for one model; NaN becomes null (undefined on these rows). */
export function metricTable(measured: MeasuredModels, model: number): Record<string, MetricValue> {
  return Object.fromEntries(
    measured.names.map((name, index) => {
      const value = measured.values[model][index];
      return [
        name,
        Number.isNaN(value)
          ? { value: null, interval: null }
          : { value, interval: percentileInterval(measured.replicates[model][index]) },
      ];
    }),
  );
}
