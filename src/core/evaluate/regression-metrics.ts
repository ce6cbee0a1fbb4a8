import { argsortAscending } from './ranking.js';
import { gatherWeights, unitWeights } from './resample-weights.js';

export interface RegressionPredictions {
  actual: Float64Array;
  predicted: Float64Array;
}

export const REGRESSION_METRICS = ['mae', 'rmse', 'r2', 'mape', 'median_ae'] as const;
export type RegressionMetricName = (typeof REGRESSION_METRICS)[number];

/** sklearn's mean_absolute_percentage_error divides by max(|y|, eps), eps the float64 machine epsilon. */
const MAPE_EPS = 2.220446049250313e-16;

/**
 * Per-row terms in pass order: rows sorted once by absolute error, so the weighted median is a
 * scan of the resample's weights.
 */
export interface PreparedRegression {
  predictions: RegressionPredictions;
  /** Rows by ascending absolute error: the order every pass walks them. */
  order: Uint32Array;
  absoluteError: Float64Array;
  percentageError: Float64Array;
  /**
   * The true value minus the median true value: a constant target stays exactly 0, and SS_tot
   * = Σw·y² − (Σw·y)²/W stays far from the cancellation it suffers on raw values.
   */
  centeredActual: Float64Array;
}

export function prepareRegression(predictions: RegressionPredictions): PreparedRegression {
  const { actual, predicted } = predictions;
  const n = actual.length;
  const errors = Float64Array.from(actual, (value, row) => Math.abs(predicted[row] - value));
  const order = argsortAscending(errors);
  const prepared = {
    predictions,
    order,
    absoluteError: new Float64Array(n),
    percentageError: new Float64Array(n),
    centeredActual: new Float64Array(n),
  };
  const center = n ? Float64Array.from(actual).sort()[(n - 1) >> 1] : 0;
  for (let at = 0; at < n; at++) {
    const row = order[at];
    prepared.absoluteError[at] = errors[row];
    prepared.percentageError[at] = errors[row] / Math.max(Math.abs(actual[row]), MAPE_EPS);
    prepared.centeredActual[at] = actual[row] - center;
  }
  return prepared;
}

/** Positions of the sufficient statistics of `accumulateRegression`. */
const TOTAL = 0;
const SUM_ACTUAL = 1;
const SUM_ACTUAL_SQUARED = 2;
const SUM_ABSOLUTE = 3;
const SUM_SQUARED = 4;
const SUM_PERCENTAGE = 5;
const MEDIAN_ABSOLUTE = 6;
export const REGRESSION_SUMS = 7;

/**
 * One resample's sufficient statistics (`weights` in pass order): Σw, Σw·y, Σw·y², Σw·|e|, Σw·e²,
 * Σw·|e|/|y| (y centered), and the weighted median of |e| (a second, partial scan of the weights).
 */
export function accumulateRegression(
  prepared: PreparedRegression,
  weights: Uint8Array,
  sums: Float64Array,
): Float64Array {
  const { absoluteError, percentageError, centeredActual } = prepared;
  // -0 keeps the sums doubles from the start (see accumulateRanking).
  let total = -0;
  let sumActual = -0;
  let sumActualSquared = -0;
  let sumAbsolute = -0;
  let sumSquared = -0;
  let sumPercentage = -0;
  for (let at = 0; at < absoluteError.length; at++) {
    const weight = weights[at];
    const actual = centeredActual[at];
    const error = absoluteError[at];
    total += weight;
    sumActual += weight * actual;
    sumActualSquared += weight * actual * actual;
    sumAbsolute += weight * error;
    sumSquared += weight * error * error;
    sumPercentage += weight * percentageError[at];
  }
  sums[TOTAL] = total;
  sums[SUM_ACTUAL] = sumActual;
  sums[SUM_ACTUAL_SQUARED] = sumActualSquared;
  sums[SUM_ABSOLUTE] = sumAbsolute;
  sums[SUM_SQUARED] = sumSquared;
  sums[SUM_PERCENTAGE] = sumPercentage;
  sums[MEDIAN_ABSOLUTE] = weightedMedian(absoluteError, weights, total);
  return sums;
}

/**
 * Median of sorted values repeated by their weights: the values at positions ⌊(W−1)/2⌋ and ⌊W/2⌋
 * of the multiset, averaged (numpy's median).
 */
function weightedMedian(sortedValues: Float64Array, weights: Uint8Array, total: number): number {
  const lowPosition = Math.floor((total - 1) / 2);
  const highPosition = Math.floor(total / 2);
  let seen = 0;
  let at = 0;
  while (at < weights.length && seen + weights[at] <= lowPosition) seen += weights[at++];
  const low = sortedValues[at];
  while (at < weights.length && seen + weights[at] <= highPosition) seen += weights[at++];
  return (low + sortedValues[at]) / 2;
}

/**
 * Regression metrics from the sufficient statistics, as sklearn.metrics with sample_weight:
 * - mae, rmse (√ of mean_squared_error), mape (a fraction, not percent; |y| floored at eps as sklearn).
 * - r2: 1 − SS_res/SS_tot; when every true value is equal (SS_tot = 0): 1 if the predictions are
 *   exact, else 0 (sklearn's force_finite).
 * - median_ae: the median of the absolute errors of the rows repeated by their (integer) weights,
 *   the mean of the two middle values for an even count (numpy's median).
 * All are NaN on zero total weight.
 */
export function regressionMetricsFromSums(sums: Float64Array): Record<RegressionMetricName, number> {
  const total = sums[TOTAL];
  if (!total)
    return { mae: Number.NaN, rmse: Number.NaN, r2: Number.NaN, mape: Number.NaN, median_ae: Number.NaN };
  const totalSquares = Math.max(0, sums[SUM_ACTUAL_SQUARED] - sums[SUM_ACTUAL] ** 2 / total);
  // Rounding leaves a few ulps of Σw·y² where every weighted value is equal: that is SS_tot = 0.
  const constant = totalSquares <= 1e-12 * sums[SUM_ACTUAL_SQUARED];
  const squared = sums[SUM_SQUARED];
  return {
    mae: sums[SUM_ABSOLUTE] / total,
    rmse: Math.sqrt(squared / total),
    r2: constant ? (squared === 0 ? 1 : 0) : 1 - squared / totalSquares,
    mape: sums[SUM_PERCENTAGE] / total,
    median_ae: sums[MEDIAN_ABSOLUTE],
  };
}

/** Every regression metric with each row counted `counts[row]` times (null: once). */
export function regressionMetrics(
  prepared: PreparedRegression,
  counts: Uint8Array | null = null,
): Record<RegressionMetricName, number> {
  const { order } = prepared;
  const weights = counts
    ? gatherWeights(counts, order, new Uint8Array(order.length))
    : unitWeights(order.length);
  return regressionMetricsFromSums(
    accumulateRegression(prepared, weights, new Float64Array(REGRESSION_SUMS)),
  );
}
