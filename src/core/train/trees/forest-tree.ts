import type { BinEdges, BinnedMatrix } from './binning.js';
import { TreeBuilder, type FlatTree } from './flat-tree.js';
import type { SeededRandom } from '../../random.js';

export interface ForestTreeOptions {
  /** Infinity for no limit. */
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** Features drawn per split (sklearn's max_features as a count). */
  maxFeatures: number;
  /** Most nodes the tree may have; growing stops (and grow returns null) as soon as it would need more. */
  maxNodes: number;
}

/** Slots per bin in a histogram: distinct rows, bootstrap weight, then weighted target sums. */
const TARGET_SLOT = 2;
const MAX_BINS = 256;

interface Split {
  feature: number;
  bin: number;
  score: number;
}

/**
 * Grows random forest trees (CART, depth-first, to purity by default) on binned features. Targets
 * are `width` numbers per row: a one-hot class vector (the split score Σ S²/W then ranks splits as
 * the Gini impurity decrease does) or the value (as the squared error decrease does). A leaf
 * holds the weighted mean target: class frequencies, or the mean value.
 */
export class ForestTreeGrower {
  private readonly rows: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly stride: number;
  private readonly hist: Float64Array;
  private readonly touched = new Int32Array(MAX_BINS);
  private readonly featureOrder: Int32Array;
  private readonly totals: Float64Array;
  private readonly leftSums: Float64Array;

  constructor(
    private readonly x: BinnedMatrix,
    private readonly edges: BinEdges,
    private readonly targets: Float64Array,
    private readonly width: number,
  ) {
    this.rows = new Uint32Array(x.rows);
    this.scratch = new Uint32Array(x.rows);
    this.stride = TARGET_SLOT + width;
    this.hist = new Float64Array(MAX_BINS * this.stride);
    this.featureOrder = new Int32Array(x.cols);
    this.totals = new Float64Array(width);
    this.leftSums = new Float64Array(width);
  }

  /**
   * One tree on the rows of positive weight (bootstrap counts), or null when it would need more than
   * options.maxNodes nodes: checking at every node bounds memory by the limit, not by the tree's full size.
   */
  grow(weights: Float64Array, random: SeededRandom, options: ForestTreeOptions): FlatTree | null {
    let rowCount = 0;
    for (let row = 0; row < weights.length; row++) if (weights[row] > 0) this.rows[rowCount++] = row;
    const builder = new TreeBuilder(this.width);
    const stack = [{ id: builder.addNode(), start: 0, end: rowCount, depth: 0 }];
    while (stack.length) {
      if (builder.nodeCount > options.maxNodes) return null;
      const node = stack.pop()!;
      const weightSum = this.sumTargets(node.start, node.end, weights);
      builder.setLeafValues(
        node.id,
        this.totals.map((sum) => sum / weightSum),
      );
      const count = node.end - node.start;
      if (
        node.depth >= options.maxDepth ||
        count < options.minSamplesSplit ||
        count < 2 * options.minSamplesLeaf ||
        this.isPure(node.start, node.end)
      )
        continue;
      const split = this.findSplit(node.start, node.end, weights, random, options);
      if (!split) continue;
      const ids = builder.split(
        node.id,
        split.feature,
        split.bin,
        this.edges.thresholds[split.feature][split.bin],
      );
      const middle = this.partition(node.start, node.end, split.feature, split.bin);
      stack.push({ id: ids.right, start: middle, end: node.end, depth: node.depth + 1 });
      stack.push({ id: ids.left, start: node.start, end: middle, depth: node.depth + 1 });
    }
    return builder.build();
  }

  /** Fills `totals` with the weighted target sums of the rows; returns their weight. */
  private sumTargets(start: number, end: number, weights: Float64Array): number {
    const { totals, targets, width } = this;
    totals.fill(0);
    let weightSum = 0;
    for (let i = start; i < end; i++) {
      const row = this.rows[i];
      const weight = weights[row];
      weightSum += weight;
      for (let d = 0; d < width; d++) totals[d] += weight * targets[row * width + d];
    }
    return weightSum;
  }

  /** Every row has the same target vector (nothing left to gain). */
  private isPure(start: number, end: number): boolean {
    const { targets, width } = this;
    const first = this.rows[start] * width;
    for (let i = start + 1; i < end; i++) {
      const at = this.rows[i] * width;
      for (let d = 0; d < width; d++) if (targets[at + d] !== targets[first + d]) return false;
    }
    return true;
  }

  /**
   * Draws features in random order until maxFeatures are drawn and one of them varies in the node
   * (sklearn's rule), and keeps the best split among them.
   */
  private findSplit(
    start: number,
    end: number,
    weights: Float64Array,
    random: SeededRandom,
    options: ForestTreeOptions,
  ): Split | null {
    const order = this.featureOrder;
    for (let i = 0; i < order.length; i++) order[i] = i;
    let best: Split | null = null;
    let varying = 0;
    for (let drawn = 0; drawn < order.length; drawn++) {
      if (drawn >= options.maxFeatures && varying > 0) break;
      const pick = drawn + random.below(order.length - drawn);
      const feature = order[pick];
      order[pick] = order[drawn];
      order[drawn] = feature;
      const touchedCount = this.buildFeatureHistogram(feature, start, end, weights);
      if (touchedCount > 1) {
        varying++;
        const split = this.bestSplitOfFeature(feature, touchedCount, end - start, options.minSamplesLeaf);
        if (split && (!best || split.score > best.score)) best = split;
      }
      this.clearTouched(touchedCount);
    }
    return best;
  }

  /** The node's histogram of one feature; returns how many bins it touches (listed in `touched`, ascending). */
  private buildFeatureHistogram(feature: number, start: number, end: number, weights: Float64Array): number {
    const { hist, stride, touched, targets, width } = this;
    const { bins, cols } = this.x;
    let touchedCount = 0;
    for (let i = start; i < end; i++) {
      const row = this.rows[i];
      const bin = bins[row * cols + feature];
      const at = bin * stride;
      if (hist[at] === 0) touched[touchedCount++] = bin;
      const weight = weights[row];
      hist[at] += 1;
      hist[at + 1] += weight;
      for (let d = 0; d < width; d++) hist[at + TARGET_SLOT + d] += weight * targets[row * width + d];
    }
    if (touchedCount > 32) touched.subarray(0, touchedCount).sort();
    else insertionSort(touched, touchedCount);
    return touchedCount;
  }

  private clearTouched(touchedCount: number): void {
    for (let i = 0; i < touchedCount; i++)
      this.hist.fill(0, this.touched[i] * this.stride, (this.touched[i] + 1) * this.stride);
  }

  /** Best boundary between consecutive touched bins; the threshold goes to the middle bin of the gap. */
  private bestSplitOfFeature(
    feature: number,
    touchedCount: number,
    count: number,
    minSamplesLeaf: number,
  ): Split | null {
    const { hist, stride, touched, width, totals } = this;
    const left = this.leftSums.fill(0);
    let leftCount = 0;
    let leftWeight = 0;
    let totalWeight = 0;
    for (let i = 0; i < touchedCount; i++) totalWeight += hist[touched[i] * stride + 1];
    let best: Split | null = null;
    for (let i = 0; i < touchedCount - 1; i++) {
      const at = touched[i] * stride;
      leftCount += hist[at];
      leftWeight += hist[at + 1];
      for (let d = 0; d < width; d++) left[d] += hist[at + TARGET_SLOT + d];
      if (leftCount < minSamplesLeaf) continue;
      if (count - leftCount < minSamplesLeaf) break;
      const rightWeight = totalWeight - leftWeight;
      let score = 0;
      for (let d = 0; d < width; d++) {
        const right = totals[d] - left[d];
        score += (left[d] * left[d]) / leftWeight + (right * right) / rightWeight;
      }
      if (!best || score > best.score) best = { feature, bin: (touched[i] + touched[i + 1] - 1) >> 1, score };
    }
    return best;
  }

  /** Stable in-place partition of rows[start, end) on bin <= splitBin; returns the first right position. */
  private partition(start: number, end: number, feature: number, splitBin: number): number {
    const { bins, cols } = this.x;
    const rows = this.rows;
    let left = start;
    let right = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i];
      if (bins[row * cols + feature] <= splitBin) rows[left++] = row;
      else this.scratch[right++] = row;
    }
    rows.set(this.scratch.subarray(0, right), left);
    return left;
  }
}

/** Sorts the first `count` values ascending; deep nodes touch few bins, where this beats a typed-array sort. */
function insertionSort(values: Int32Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > value) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = value;
  }
}
