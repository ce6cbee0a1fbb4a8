import type { Task } from './model-types.js';

/** ROC AUC from ranks (ties share their mean rank): the probability a positive scores above a negative. */
export function rocAuc(positiveScore: Float64Array, isPositive: (index: number) => boolean): number {
  const order = Array.from(positiveScore.keys()).sort((a, b) => positiveScore[a] - positiveScore[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && positiveScore[order[end + 1]] === positiveScore[order[start]]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let at = start; at <= end; at++) {
      if (isPositive(order[at])) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Headline metrics of the validation rows, computed from predict() (metric names as in metrics.json):
 * classifiers accuracy, log_loss (and roc_auc when binary); regressors r2, rmse, mae.
 */
export function validationMetrics(
  task: Task,
  predicted: Float64Array,
  y: Float64Array,
): Record<string, number> {
  const rows = y.length;
  if (rows === 0) return {};
  if (task.kind === 'regression') {
    let mean = 0;
    for (const value of y) mean += value / rows;
    let squared = 0;
    let absolute = 0;
    let total = 0;
    for (let row = 0; row < rows; row++) {
      const error = y[row] - predicted[row];
      squared += error * error;
      absolute += Math.abs(error);
      total += (y[row] - mean) ** 2;
    }
    return {
      r2: total > 0 ? 1 - squared / total : NaN,
      rmse: Math.sqrt(squared / rows),
      mae: absolute / rows,
    };
  }
  const classes = task.classCount;
  let correct = 0;
  let loss = 0;
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (predicted[row * classes + c] > predicted[row * classes + best]) best = c;
    if (best === y[row]) correct++;
    loss -= Math.log(Math.min(Math.max(predicted[row * classes + y[row]], 1e-15), 1 - 1e-15));
  }
  const metrics: Record<string, number> = { accuracy: correct / rows, log_loss: loss / rows };
  if (task.kind === 'binary') {
    const positive = Float64Array.from({ length: rows }, (_, row) => predicted[row * 2 + 1]);
    metrics.roc_auc = rocAuc(positive, (row) => y[row] === 1);
  }
  return metrics;
}
