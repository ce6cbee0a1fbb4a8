import { argsortAscending } from './ranking.js';
import { Z_975, twoSidedNormalPValue } from './normal.js';
import type { PairedTestResult } from './paired-test.js';

/**
 * DeLong's test for two correlated ROC AUCs measured on the same rows (DeLong, DeLong &
 * Clarke-Pearson 1988), computed with midranks as in Sun & Xu (2014): O(n log n).
 *
 * `labels` are 1 for the positive class and 0 otherwise; `scoresA`/`scoresB` are the two models'
 * scores for the positive class. Returns delta = AUC(A) − AUC(B), its 95% Wald interval
 * delta ± 1.96·se and the two-sided p-value of z = delta / se.
 *
 * Edge cases: fewer than two positives or two negatives → delta NaN, interval and pValue null (the
 * covariance of the placement values is undefined). A zero variance (identical rankings, or both
 * models perfect) gives interval [delta, delta] and pValue 1 when delta is 0, else 0.
 */
export function delongPairedTest(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
): PairedTestResult {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  const negatives = labels.length - positives;
  if (positives < 2 || negatives < 2) {
    return { delta: Number.NaN, interval: null, pValue: null, test: 'delong' };
  }
  const a = placementValues(labels, scoresA, positives, negatives);
  const b = placementValues(labels, scoresB, positives, negatives);
  const delta = a.auc - b.auc;
  const variance =
    (covariance(a.positive, a.positive) +
      covariance(b.positive, b.positive) -
      2 * covariance(a.positive, b.positive)) /
      positives +
    (covariance(a.negative, a.negative) +
      covariance(b.negative, b.negative) -
      2 * covariance(a.negative, b.negative)) /
      negatives;
  if (!(variance > 0)) {
    return { delta, interval: [delta, delta], pValue: delta === 0 ? 1 : 0, test: 'delong' };
  }
  const se = Math.sqrt(variance);
  return {
    delta,
    interval: [delta - Z_975 * se, delta + Z_975 * se],
    pValue: twoSidedNormalPValue(delta / se),
    test: 'delong',
  };
}

/**
 * The structural components: for each positive, the share of negatives it outranks (V10); for each
 * negative, the share of positives that outrank it (V01); AUC is the mean of V10.
 */
function placementValues(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  positives: number,
  negatives: number,
) {
  const order = argsortAscending(scores);
  const overall = midranks(order, scores, () => true);
  const withinPositive = midranks(order, scores, (row) => labels[row] !== 0);
  const withinNegative = midranks(order, scores, (row) => labels[row] === 0);
  const positive = new Float64Array(positives);
  const negative = new Float64Array(negatives);
  let p = 0;
  let q = 0;
  let sum = 0;
  for (let row = 0; row < labels.length; row++) {
    if (labels[row]) {
      positive[p] = (overall[row] - withinPositive[row]) / negatives;
      sum += positive[p++];
    } else {
      negative[q++] = 1 - (overall[row] - withinNegative[row]) / positives;
    }
  }
  return { auc: sum / positives, positive, negative };
}

/** 1-based ranks among the rows that `include` keeps, ties sharing their mean rank (by row index). */
function midranks(
  order: Uint32Array,
  scores: ArrayLike<number>,
  include: (row: number) => boolean,
): Float64Array {
  const ranks = new Float64Array(order.length);
  const kept: number[] = [];
  for (let i = 0; i < order.length; i++) if (include(order[i])) kept.push(order[i]);
  let start = 0;
  while (start < kept.length) {
    let end = start;
    while (end + 1 < kept.length && scores[kept[end + 1]] === scores[kept[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[kept[i]] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Sample covariance (denominator n − 1). */
function covariance(x: Float64Array, y: Float64Array): number {
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < x.length; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= x.length;
  meanY /= y.length;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] - meanX) * (y[i] - meanY);
  return sum / (x.length - 1);
}
