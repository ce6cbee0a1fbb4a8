import { argsortScores } from './argsort.js';
import { reciprocalsUpTo } from './reciprocals.js';
import { expectedTotalWeight } from './resample-weights.js';

/**
 * Ranking metrics over rows sorted once by score: ROC AUC and average precision for any row weights
 * (bootstrap counts), in one linear pass over the ranks. Ties count half (ROC) or as one threshold
 * (PR), as in sklearn.metrics.
 */

export type Weights = ArrayLike<number> | null;

/** Row indices that sort `scores` ascending (stable: ties keep row order). */
export function argsortAscending(scores: ArrayLike<number>): Uint32Array {
  return argsortScores(scores, 'ascending');
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
 * Rows ranked once, highest score first, with what a weighted ROC/PR pass needs at each rank:
 * whether the row is positive and whether it closes a run of equal scores (a tie group).
 */
export interface RankedRows {
  /** Row indices, highest score first; ties keep row order. */
  order: Uint32Array;
  /** 1 where the row at that rank is positive. */
  positive: Uint8Array;
  /** 1 where the row at that rank is the last of its run of equal scores. */
  tieEnd: Uint8Array;
}

export function rankRows(scores: ArrayLike<number>, positive: ArrayLike<number>): RankedRows {
  const order = argsortScores(scores, 'descending');
  const ranked = { order, positive: new Uint8Array(order.length), tieEnd: new Uint8Array(order.length) };
  for (let rank = 0; rank < order.length; rank++) {
    ranked.positive[rank] = positive[order[rank]] ? 1 : 0;
    ranked.tieEnd[rank] =
      rank + 1 === order.length || scores[order[rank + 1]] !== scores[order[rank]] ? 1 : 0;
  }
  return ranked;
}

/** How many sums `accumulateRanking` writes: ROC numerator, AP numerator, positive and negative weight. */
export const RANKING_SUMS = 4;

/**
 * One pass down the ranks (weights in rank order) accumulating the sufficient statistics of ROC
 * AUC (Σ over negatives of the positives ranked above + ½ tied) and average precision (Σ over
 * thresholds of new positives × precision) into `sums[at..at+4)`. Running sums per row; the
 * ROC/PR terms at the end of each tie group. All weight sums are integers, hence exact.
 */
export function accumulateRanking(
  ranked: RankedRows,
  weights: Uint8Array,
  sums: Float64Array,
  at: number,
): void {
  const { positive, tieEnd } = ranked;
  const reciprocal = reciprocalsUpTo(expectedTotalWeight(weights.length));
  // -0 can only be a double: V8 then keeps these sums of integer weights unboxed instead of
  // checking small-integer overflow on every add (twice as fast, measured).
  let weightSeen = -0;
  // The same sum as an integer, to index the reciprocal table.
  let weightCount = 0;
  let positiveSeen = -0;
  let positiveAtTie = -0;
  let negativeAtTie = -0;
  let rocNumerator = -0;
  let precisionNumerator = -0;
  for (let rank = 0; rank < positive.length; rank++) {
    const weight = weights[rank];
    weightSeen += weight;
    weightCount += weight;
    positiveSeen += positive[rank] * weight;
    if (tieEnd[rank]) {
      const negativeSeen = weightSeen - positiveSeen;
      const groupPositive = positiveSeen - positiveAtTie;
      rocNumerator += (negativeSeen - negativeAtTie) * (positiveAtTie + groupPositive / 2);
      // No branch on "the group has positives": a zero group adds 0 (1/0 reads as 0 in the table).
      const inverse = weightCount < reciprocal.length ? reciprocal[weightCount] : 1 / weightCount;
      precisionNumerator += groupPositive * positiveSeen * inverse;
      positiveAtTie = positiveSeen;
      negativeAtTie = negativeSeen;
    }
  }
  sums[at] = rocNumerator;
  sums[at + 1] = precisionNumerator;
  sums[at + 2] = positiveSeen;
  sums[at + 3] = weightSeen - positiveSeen;
}

/** ROC AUC from `accumulateRanking`'s sums; NaN without positives or negatives. */
export function rocAucFromSums(sums: Float64Array, at: number): number {
  const positives = sums[at + 2];
  const negatives = sums[at + 3];
  return positives && negatives ? sums[at] / positives / negatives : Number.NaN;
}

/**
 * Average precision Σ (Rₙ − Rₙ₋₁) Pₙ over the distinct scores from the highest down
 * (sklearn.metrics.average_precision_score, no interpolation); NaN without positives.
 */
export function averagePrecisionFromSums(sums: Float64Array, at: number): number {
  const positives = sums[at + 2];
  return positives ? sums[at + 1] / positives : Number.NaN;
}

export interface CurvePoint {
  x: number;
  y: number;
}

/** Per distinct score, highest first: the rows and the positives ranked at or above it. */
function thresholdCounts(ranked: RankedRows) {
  const { positive, tieEnd } = ranked;
  let count = 0;
  for (let rank = 0; rank < tieEnd.length; rank++) count += tieEnd[rank];
  const rows = new Uint32Array(count);
  const positives = new Uint32Array(count);
  let truePositive = 0;
  let at = 0;
  for (let rank = 0; rank < positive.length; rank++) {
    truePositive += positive[rank];
    if (tieEnd[rank]) {
      rows[at] = rank + 1;
      positives[at++] = truePositive;
    }
  }
  return { rows, positives, totalPositive: truePositive };
}

/** Of `count` points, the first, the last and evenly spaced ones between: at most `maxPoints`. */
function thinnedIndices(count: number, maxPoints: number): number[] {
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => i);
  const step = (count - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => Math.round(i * step));
}

// The curves below pick their (at most `maxPoints`) points from typed counts: a million rows have
// nearly a million distinct scores, and an object per score only to keep 201 cost a GC-heavy 0.1 s.

/**
 * ROC points (false positive rate, true positive rate), one per distinct score, from (0,0) to (1,1),
 * thinned to `maxPoints`.
 */
export function rocCurve(ranked: RankedRows, maxPoints: number): CurvePoint[] {
  const { rows, positives, totalPositive } = thresholdCounts(ranked);
  const totalNegative = ranked.positive.length - totalPositive;
  if (totalPositive === 0 || totalNegative === 0) return [];
  return thinnedIndices(rows.length + 1, maxPoints).map((point) =>
    point === 0
      ? { x: 0, y: 0 }
      : {
          x: (rows[point - 1] - positives[point - 1]) / totalNegative,
          y: positives[point - 1] / totalPositive,
        },
  );
}

/**
 * Precision-recall points (recall, precision), from (0, 1) then one per distinct score from the
 * highest down, thinned to `maxPoints`.
 */
export function precisionRecallCurve(ranked: RankedRows, maxPoints: number): CurvePoint[] {
  const { rows, positives, totalPositive } = thresholdCounts(ranked);
  if (totalPositive === 0) return [];
  return thinnedIndices(rows.length + 1, maxPoints).map((point) =>
    point === 0
      ? { x: 0, y: 1 }
      : { x: positives[point - 1] / totalPositive, y: positives[point - 1] / rows[point - 1] },
  );
}
