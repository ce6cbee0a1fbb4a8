import type { DesignMatrix } from '../model-types.js';
import { sampleRowIndices } from './row-sampling.js';

/** Rows used to find the bin edges of a feature (sklearn's HistGradientBoosting uses the same 200k). */
const EDGE_SAMPLE_ROWS = 200_000;

/**
 * Per feature, the float32 split thresholds between consecutive bins: bin b holds the values v with
 * thresholds[b-1] < fround(v) <= thresholds[b]. Every threshold is a float32 that lies between two
 * training values, so "bin <= b" and "fround(v) <= thresholds[b]" (ONNX BRANCH_LEQ on float input)
 * pick the same rows.
 */
export interface BinEdges {
  thresholds: Float32Array[];
}

/** Features as bin indices, row-major ([row * cols + feature]), one byte each. */
export interface BinnedMatrix {
  rows: number;
  cols: number;
  bins: Uint8Array;
  /** Bins in use per feature (thresholds + 1). */
  binCounts: Int32Array;
}

/** A float32 threshold t with a <= t < b, for float32 values a < b (the midpoint when it is representable). */
function thresholdBetween(a: number, b: number): number {
  const middle = Math.fround((a + b) / 2);
  return middle < b ? middle : a;
}

/** Quantile bin edges of one feature from its sorted float32 values (ties stay in one bin). */
function featureThresholds(sorted: Float64Array, maxBins: number): Float32Array {
  const thresholds: number[] = [];
  const perBin = sorted.length / maxBins;
  let nextCut = perBin;
  let i = 0;
  while (i < sorted.length) {
    let end = i + 1;
    while (end < sorted.length && sorted[end] === sorted[i]) end++;
    if (end === sorted.length) break;
    if (end >= nextCut) {
      thresholds.push(thresholdBetween(sorted[i], sorted[end]));
      nextCut = Math.max(nextCut + perBin, (thresholds.length + 1) * perBin);
      if (thresholds.length === maxBins - 1) break;
    }
    i = end;
  }
  return Float32Array.from(thresholds);
}

/** Finds at most `maxBins` quantile bins per feature (from a seeded sample of rows when there are many). */
export function fitBinEdges(x: DesignMatrix, maxBins: number, seed: number): BinEdges {
  const sampleRows = sampleRowIndices(x.rows, EDGE_SAMPLE_ROWS, seed);
  const column = new Float64Array(sampleRows.length);
  const thresholds: Float32Array[] = [];
  for (let feature = 0; feature < x.cols; feature++) {
    for (let i = 0; i < sampleRows.length; i++)
      column[i] = Math.fround(x.values[sampleRows[i] * x.cols + feature]);
    column.sort();
    // Few distinct values: one bin each, whatever their frequencies.
    const distinct = countDistinct(column, maxBins + 1);
    thresholds.push(featureThresholds(column, distinct <= maxBins ? column.length : maxBins));
  }
  return { thresholds };
}

function countDistinct(sorted: Float64Array, stopAt: number): number {
  let count = sorted.length ? 1 : 0;
  for (let i = 1; i < sorted.length && count < stopAt; i++) if (sorted[i] !== sorted[i - 1]) count++;
  return count;
}

/** The bin of a value: the first threshold it does not exceed (after float32 rounding). */
function binOf(thresholds: Float32Array, value: number): number {
  const rounded = Math.fround(value);
  let low = 0;
  let high = thresholds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rounded <= thresholds[middle]) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Bins every value of the matrix with the given edges. */
export function applyBinEdges(x: DesignMatrix, edges: BinEdges): BinnedMatrix {
  const { rows, cols, values } = x;
  const bins = new Uint8Array(rows * cols);
  // Row by row, so the values are read once, in order (feature by feature strides over all of them per feature).
  for (let at = 0; at < rows * cols; at += cols)
    for (let feature = 0; feature < cols; feature++)
      bins[at + feature] = binOf(edges.thresholds[feature], values[at + feature]);
  const binCounts = Int32Array.from(edges.thresholds, (t) => t.length + 1);
  return { rows, cols, bins, binCounts };
}
