import { drawPoissonWeights } from './random.js';
import { rocAuc, argsortAscending } from './ranking.js';
import { unitWeights } from './resample-weights.js';
import type { PairedTestResult } from './paired-test.js';

export interface BootstrapSettings {
  /** Resamples drawn (default 1000). */
  resamples: number;
  /** PRNG seed: the same seed and rows give the same intervals. */
  seed: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapSettings = { resamples: 1000, seed: 20240617 };

/**
 * Statistics of one resample, given its per-row weights (every row weighted 1 for the point
 * estimate). Entries may be NaN where a statistic is undefined for the resample.
 */
export type ResampleStatistics = (weights: Uint8Array) => ArrayLike<number>;

/**
 * Runs the Poisson bootstrap (see `drawPoissonWeights`): `replicates[s][r]` is statistic s on
 * resample r. All statistics of a resample share its weights, which is what makes paired deltas
 * and slices cheap: rows are never copied. Resample r depends only on (seed, r).
 */
export function bootstrapReplicates(
  rows: number,
  statistics: ResampleStatistics,
  width: number,
  settings: BootstrapSettings,
): Float64Array[] {
  const weights = new Uint8Array(rows);
  const replicates = Array.from({ length: width }, () => new Float64Array(settings.resamples));
  for (let r = 0; r < settings.resamples; r++) {
    const values = statistics(drawPoissonWeights(settings.seed, r, weights));
    for (let s = 0; s < width; s++) replicates[s][r] = values[s];
  }
  return replicates;
}

/** Quantile q of the non-NaN values by linear interpolation between order statistics (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values)
    .filter((value) => !Number.isNaN(value))
    .sort();
  if (!sorted.length) return Number.NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/**
 * The 95% percentile interval of bootstrap replicates; null when fewer than half of the resamples
 * define the statistic (e.g. ROC AUC on a slice that mostly lacks one class).
 */
export function percentileInterval(replicates: ArrayLike<number>): [number, number] | null {
  let defined = 0;
  for (let i = 0; i < replicates.length; i++) if (!Number.isNaN(replicates[i])) defined++;
  if (defined === 0 || defined < replicates.length / 2) return null;
  return [quantile(replicates, 0.025), quantile(replicates, 0.975)];
}

/**
 * Two-sided bootstrap p-value of "delta is 0": twice the smaller share of replicates on either side
 * of 0, with the +1 correction that keeps it above 0 for a finite number of resamples.
 */
export function bootstrapPValue(deltaReplicates: ArrayLike<number>): number | null {
  let below = 0;
  let above = 0;
  let defined = 0;
  for (let i = 0; i < deltaReplicates.length; i++) {
    const delta = deltaReplicates[i];
    if (Number.isNaN(delta)) continue;
    defined++;
    if (delta <= 0) below++;
    if (delta >= 0) above++;
  }
  if (defined === 0) return null;
  return Math.min(1, (2 * (Math.min(below, above) + 1)) / (defined + 1));
}

/**
 * The paired bootstrap: both statistics computed on the same resampled rows; delta = A − B on all
 * rows, its 95% percentile interval and two-sided p-value over the resamples.
 */
export function pairedBootstrapTest(
  rows: number,
  statisticA: (weights: Uint8Array) => number,
  statisticB: (weights: Uint8Array) => number,
  settings: BootstrapSettings = DEFAULT_BOOTSTRAP,
): PairedTestResult {
  const ones = unitWeights(rows);
  const delta = statisticA(ones) - statisticB(ones);
  const [deltas] = bootstrapReplicates(
    rows,
    (weights) => [statisticA(weights) - statisticB(weights)],
    1,
    settings,
  );
  return pairedResult(delta, deltas);
}

/** Builds the paired-bootstrap result from a delta and its replicates. */
export function pairedResult(delta: number, deltaReplicates: ArrayLike<number>): PairedTestResult {
  return {
    delta,
    interval: Number.isNaN(delta) ? null : percentileInterval(deltaReplicates),
    pValue: Number.isNaN(delta) ? null : bootstrapPValue(deltaReplicates),
    test: 'paired-bootstrap',
  };
}

/**
 * Paired bootstrap of ROC AUC(A) − ROC AUC(B): `labels` 1 = positive, scores for the positive
 * class. Each model's rows are sorted once; every resample is one linear pass per model.
 */
export function pairedBootstrapRocAuc(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  settings: BootstrapSettings = DEFAULT_BOOTSTRAP,
): PairedTestResult {
  const orderA = argsortAscending(scoresA);
  const orderB = argsortAscending(scoresB);
  return pairedBootstrapTest(
    labels.length,
    (weights) => rocAuc(orderA, scoresA, labels, weights),
    (weights) => rocAuc(orderB, scoresB, labels, weights),
    settings,
  );
}
