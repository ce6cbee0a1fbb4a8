import { argsortAscending, type Weights } from './ranking.js';

export interface RegressionPredictions {
  actual: Float64Array;
  predicted: Float64Array;
}

export const REGRESSION_METRICS = ['mae', 'rmse', 'r2', 'mape', 'median_ae'] as const;
export type RegressionMetricName = (typeof REGRESSION_METRICS)[number];

/** sklearn's mean_absolute_percentage_error divides by max(|y|, eps), eps the float64 machine epsilon. */
const MAPE_EPS = 2.220446049250313e-16;

/** Per-row errors and the order of absolute errors, computed once for all resamples. */
export interface PreparedRegression {
  predictions: RegressionPredictions;
  absoluteErrors: Float64Array;
  percentageErrors: Float64Array;
  absoluteErrorOrder: Uint32Array;
}

export function prepareRegression(predictions: RegressionPredictions): PreparedRegression {
  const { actual, predicted } = predictions;
  const absoluteErrors = new Float64Array(actual.length);
  const percentageErrors = new Float64Array(actual.length);
  for (let row = 0; row < actual.length; row++) {
    absoluteErrors[row] = Math.abs(predicted[row] - actual[row]);
    percentageErrors[row] = absoluteErrors[row] / Math.max(Math.abs(actual[row]), MAPE_EPS);
  }
  return {
    predictions,
    absoluteErrors,
    percentageErrors,
    absoluteErrorOrder: argsortAscending(absoluteErrors),
  };
}

/**
 * Regression metrics of the weighted rows, as sklearn.metrics with sample_weight:
 * - mae, rmse (√ of mean_squared_error), mape (a fraction, not percent; |y| floored at eps as sklearn).
 * - r2: 1 − SS_res/SS_tot; when every true value is equal (SS_tot = 0): 1 if the predictions are
 *   exact, else 0 (sklearn's force_finite).
 * - median_ae: the median of the absolute errors of the rows repeated by their (integer) weights,
 *   the mean of the two middle values for an even count (numpy's median).
 * All are NaN on zero total weight.
 */
export function regressionMetrics(
  prepared: PreparedRegression,
  weights: Weights = null,
): Record<RegressionMetricName, number> {
  const { actual } = prepared.predictions;
  const { absoluteErrors, percentageErrors } = prepared;
  let total = 0;
  let sumActual = 0;
  let sumAbsolute = 0;
  let sumSquared = 0;
  let sumPercentage = 0;
  for (let row = 0; row < actual.length; row++) {
    const weight = weights ? weights[row] : 1;
    total += weight;
    sumActual += weight * actual[row];
    sumAbsolute += weight * absoluteErrors[row];
    sumSquared += weight * absoluteErrors[row] ** 2;
    sumPercentage += weight * percentageErrors[row];
  }
  if (!total)
    return { mae: Number.NaN, rmse: Number.NaN, r2: Number.NaN, mape: Number.NaN, median_ae: Number.NaN };
  const meanActual = sumActual / total;
  let totalSquares = 0;
  for (let row = 0; row < actual.length; row++) {
    const weight = weights ? weights[row] : 1;
    totalSquares += weight * (actual[row] - meanActual) ** 2;
  }
  const r2 = totalSquares === 0 ? (sumSquared === 0 ? 1 : 0) : 1 - sumSquared / totalSquares;
  return {
    mae: sumAbsolute / total,
    rmse: Math.sqrt(sumSquared / total),
    r2,
    mape: sumPercentage / total,
    median_ae: weightedMedian(prepared.absoluteErrorOrder, absoluteErrors, weights, total),
  };
}

/** Median of values repeated by their weights: the values at positions ⌊(W−1)/2⌋ and ⌊W/2⌋ of the sorted multiset, averaged. */
function weightedMedian(order: Uint32Array, values: Float64Array, weights: Weights, total: number): number {
  const lowPosition = Math.floor((total - 1) / 2);
  const highPosition = Math.floor(total / 2);
  let seen = 0;
  let low = Number.NaN;
  for (let index = 0; index < order.length; index++) {
    const row = order[index];
    seen += weights ? weights[row] : 1;
    if (Number.isNaN(low) && seen > lowPosition) low = values[row];
    if (seen > highPosition) return (low + values[row]) / 2;
  }
  return low;
}
