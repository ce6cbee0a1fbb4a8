import { percentileInterval, type BootstrapSettings } from './bootstrap.js';
import { BinaryPassHelper, helperWorthwhile } from './bootstrap-helper.js';
import { CLASSIFICATION_METRICS, classificationMetricsFromSums } from './classification-metrics.js';
import type { PreparedClassification } from './classification-rows.js';
import { accumulateClassification, binaryPass, classificationSums } from './classification-sums.js';
import {
  accumulateRegression,
  REGRESSION_METRICS,
  REGRESSION_SUMS,
  regressionMetricsFromSums,
  type PreparedRegression,
} from './regression-metrics.js';
import { drawPoissonRows, resampleStreams } from './random.js';
import { gatherWeights, unitWeights } from './resample-weights.js';

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

/**
 * A model measured on some of the rows (`rows`: their indices; absent: all rows), e.g. the
 * baseline on all rows or the evaluated model on one slice.
 */
export interface Measurement {
  model: PreparedModel;
  rows?: Int32Array;
}

/** A measurement wired for the resample loop: where its weights come from, and its buffers. */
interface MeasurementPass {
  model: PreparedModel;
  names: readonly string[];
  /** For each row in the model's pass order, the index of its weight (null: the same index). */
  positions: Uint32Array | null;
  weights: Uint8Array;
  sums: Float64Array;
}

function passOrder(model: PreparedModel): Uint32Array {
  return model.prepared.order;
}

/**
 * Weights are indexed by the first measurement's pass order, so its pass (the largest) reads them
 * sequentially; every other measurement maps its own pass order onto that numbering once.
 */
function measurementPasses(measurements: Measurement[]): MeasurementPass[] {
  const first = passOrder(measurements[0].model);
  const weightIndex = new Uint32Array(first.length);
  for (let at = 0; at < first.length; at++) weightIndex[first[at]] = at;
  return measurements.map(({ model, rows }, index) => {
    const order = passOrder(model);
    let positions: Uint32Array | null = null;
    if (index > 0) {
      positions = new Uint32Array(order.length);
      for (let at = 0; at < order.length; at++)
        positions[at] = weightIndex[rows ? rows[order[at]] : order[at]];
    }
    return {
      model,
      names: metricNames(model.task),
      positions,
      weights: new Uint8Array(positions ? positions.length : 0),
      sums:
        model.task === 'classification'
          ? classificationSums(model.prepared)
          : new Float64Array(REGRESSION_SUMS),
    };
  });
}

/** The pass's metrics, in `names` order, from its sums. */
function metricsFromSums(pass: MeasurementPass, sums: Float64Array): number[] {
  const { model, names } = pass;
  const computed: Record<string, number> =
    model.task === 'classification'
      ? classificationMetricsFromSums(model.prepared, sums)
      : regressionMetricsFromSums(sums);
  return names.map((name) => computed[name]);
}

/** The pass's metrics, in `names` order, for weights in its pass order. */
function passMetrics(pass: MeasurementPass, weights: Uint8Array): number[] {
  const { model, sums } = pass;
  return metricsFromSums(
    pass,
    model.task === 'classification'
      ? accumulateClassification(model.prepared, weights, sums)
      : accumulateRegression(model.prepared, weights, sums),
  );
}

/**
 * A helper thread sharing the first measurement's resamples, when it is a binary classifier (the
 * common, largest case) and the work is large enough.
 */
function startHelper(pass: MeasurementPass, settings: BootstrapSettings): BinaryPassHelper | null {
  const binary = pass.model.task === 'classification' ? binaryPass(pass.model.prepared) : null;
  const rows = pass.model.prepared.order.length;
  if (!binary || !helperWorthwhile(rows, settings.resamples)) return null;
  return new BinaryPassHelper(binary, settings.seed, settings.resamples);
}

export interface MeasuredModels {
  /** Per measurement, its metric names. */
  names: (readonly string[])[];
  /** Per measurement, per metric: the value on its rows (NaN where undefined). */
  values: number[][];
  /** Per measurement, per metric: bootstrap replicates, all measurements on the same resamples. */
  replicates: Float64Array[][];
}

/**
 * Every metric of every measurement, plus bootstrap replicates that share their resamples: the
 * same Poisson weight per row in every measurement, which makes paired deltas a subtraction and a
 * slice's replicates a resample of that slice. The first measurement must cover all rows.
 */
export async function measureModels(
  measurements: Measurement[],
  settings: BootstrapSettings,
): Promise<MeasuredModels> {
  const passes = measurementPasses(measurements);
  const { resamples, seed } = settings;
  const replicates = passes.map((pass) => pass.names.map(() => new Float64Array(resamples)));
  const store = (index: number, r: number, values: number[]) =>
    values.forEach((value, metric) => (replicates[index][metric][r] = value));
  const helper = startHelper(passes[0], settings);
  const weights = new Uint8Array(passOrder(measurements[0].model).length);
  const resampleOnMain = (r: number, passesFrom: number) => {
    const streams = resampleStreams(seed, r);
    const first = passes[0];
    if (passesFrom === 0 && first.model.task === 'classification') {
      // The first pass draws the weights block by block as it reads them.
      store(
        0,
        r,
        metricsFromSums(first, accumulateClassification(first.model.prepared, weights, first.sums, streams)),
      );
      passesFrom = 1;
    } else drawPoissonRows(weights, 0, weights.length, streams);
    for (let index = passesFrom; index < passes.length; index++) {
      const pass = passes[index];
      const own = pass.positions ? gatherWeights(weights, pass.positions, pass.weights) : weights;
      store(index, r, passMetrics(pass, own));
    }
  };
  // The first pass of a resample the helper claimed is the helper's; the other passes stay here.
  const leftToHelper: number[] = [];
  for (let r = 0; r < resamples; r++) {
    if (!helper || helper.claim(r)) resampleOnMain(r, 0);
    else {
      leftToHelper.push(r);
      if (passes.length > 1) resampleOnMain(r, 1);
    }
  }
  // A failed helper leaves its resamples undone: the main thread computes them after all.
  if (helper) await helper.finished.catch(() => undefined);
  for (const r of leftToHelper) {
    const sums = helper?.sums(r);
    if (sums) store(0, r, metricsFromSums(passes[0], sums));
    else resampleOnMain(r, 0);
  }
  return {
    names: passes.map((pass) => pass.names),
    values: passes.map((pass) => passMetrics(pass, unitWeights(passOrder(pass.model).length))),
    replicates,
  };
}

/** `{ name: { value, interval } }` for one measurement; NaN becomes null (undefined on these rows). */
export function metricTable(measured: MeasuredModels, index: number): Record<string, MetricValue> {
  return Object.fromEntries(
    measured.names[index].map((name, metric) => {
      const value = measured.values[index][metric];
      return [
        name,
        Number.isNaN(value)
          ? { value: null, interval: null }
          : { value, interval: percentileInterval(measured.replicates[index][metric]) },
      ];
    }),
  );
}
