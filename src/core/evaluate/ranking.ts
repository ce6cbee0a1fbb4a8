/**
 * Ranking metrics over rows sorted once by score: ROC AUC and average precision for any row weights
 * (bootstrap counts), in one linear pass over the sorted order. Ties count half (ROC) or as one
 * threshold (PR), as in sklearn.metrics.
 */

export type Weights = ArrayLike<number> | null;

/** Row indices that sort `scores` ascending (stable: ties keep row order). */
export function argsortAscending(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[a] - scores[b] || a - b);
}

/**
 * ROC AUC = P(score of a positive > score of a negative) + ½ P(tie), over weighted rows
 * (sklearn.metrics.roc_auc_score with sample_weight). NaN when the rows hold no positive or no negative.
 */
export function rocAuc(
  order: Uint32Array,
  scores: ArrayLike<number>,
  positive: ArrayLike<number>,
  weights: Weights = null,
): number {
  let negativesBelow = 0;
  let numerator = 0;
  let totalPositive = 0;
  let index = 0;
  while (index < order.length) {
    const score = scores[order[index]];
    let groupPositive = 0;
    let groupNegative = 0;
    while (index < order.length && scores[order[index]] === score) {
      const row = order[index++];
      const weight = weights ? weights[row] : 1;
      if (positive[row]) groupPositive += weight;
      else groupNegative += weight;
    }
    numerator += groupPositive * (negativesBelow + groupNegative / 2);
    negativesBelow += groupNegative;
    totalPositive += groupPositive;
  }
  if (totalPositive === 0 || negativesBelow === 0) return Number.NaN;
  return numerator / totalPositive / negativesBelow;
}

/**
 * Average precision Σ (Rₙ − Rₙ₋₁) Pₙ over the distinct scores taken as thresholds from the highest
 * down (sklearn.metrics.average_precision_score, no interpolation). NaN when there is no positive.
 */
export function averagePrecision(
  order: Uint32Array,
  scores: ArrayLike<number>,
  positive: ArrayLike<number>,
  weights: Weights = null,
): number {
  let totalPositive = 0;
  for (let i = 0; i < order.length; i++) if (positive[i]) totalPositive += weights ? weights[i] : 1;
  if (totalPositive === 0) return Number.NaN;
  let truePositive = 0;
  let predictedPositive = 0;
  let sum = 0;
  let index = order.length - 1;
  while (index >= 0) {
    const score = scores[order[index]];
    let groupPositive = 0;
    let groupWeight = 0;
    while (index >= 0 && scores[order[index]] === score) {
      const row = order[index--];
      const weight = weights ? weights[row] : 1;
      groupWeight += weight;
      if (positive[row]) groupPositive += weight;
    }
    truePositive += groupPositive;
    predictedPositive += groupWeight;
    if (groupPositive > 0) sum += (groupPositive / totalPositive) * (truePositive / predictedPositive);
  }
  return sum;
}

export interface CurvePoint {
  x: number;
  y: number;
}

/** ROC points (false positive rate, true positive rate), one per distinct score, from (0,0) to (1,1). */
export function rocCurve(
  order: Uint32Array,
  scores: ArrayLike<number>,
  positive: ArrayLike<number>,
): CurvePoint[] {
  const points: CurvePoint[] = [{ x: 0, y: 0 }];
  let totalPositive = 0;
  for (let i = 0; i < order.length; i++) if (positive[i]) totalPositive++;
  const totalNegative = order.length - totalPositive;
  if (totalPositive === 0 || totalNegative === 0) return [];
  let truePositive = 0;
  let falsePositive = 0;
  let index = order.length - 1;
  while (index >= 0) {
    const score = scores[order[index]];
    while (index >= 0 && scores[order[index]] === score) {
      if (positive[order[index--]]) truePositive++;
      else falsePositive++;
    }
    points.push({ x: falsePositive / totalNegative, y: truePositive / totalPositive });
  }
  return points;
}

/** Precision-recall points (recall, precision), one per distinct score from the highest down. */
export function precisionRecallCurve(
  order: Uint32Array,
  scores: ArrayLike<number>,
  positive: ArrayLike<number>,
): CurvePoint[] {
  let totalPositive = 0;
  for (let i = 0; i < order.length; i++) if (positive[i]) totalPositive++;
  if (totalPositive === 0) return [];
  const points: CurvePoint[] = [{ x: 0, y: 1 }];
  let truePositive = 0;
  let predicted = 0;
  let index = order.length - 1;
  while (index >= 0) {
    const score = scores[order[index]];
    while (index >= 0 && scores[order[index]] === score) {
      if (positive[order[index--]]) truePositive++;
      predicted++;
    }
    points.push({ x: truePositive / totalPositive, y: truePositive / predicted });
  }
  return points;
}
