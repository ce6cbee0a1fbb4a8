import type { BinnedMatrix, BinEdges } from './binning.js';
import { TreeBuilder, type FlatTree } from './flat-tree.js';
import { HistogramHelper } from './histogram-helper.js';

/** Histogram slots per bin: gradient sum, hessian sum, row count. */
const SLOTS = 3;
/** A child needs this much hessian mass (sklearn's min_hessian_to_split). */
const MIN_CHILD_HESSIAN = 1e-3;
/** Nodes with at least this many rows split their histogram pass with the helper thread (when there is one). */
export const PARALLEL_NODE_ROWS = 32_768;

export interface HistogramTreeOptions {
  /** Infinity for no limit. */
  maxDepth: number;
  /** Infinity for no limit. */
  maxLeafNodes: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  learningRate: number;
  /** Features this tree may split on (column subsampling), ascending. */
  features: Int32Array;
}

interface SplitCandidate {
  feature: number;
  bin: number;
  gain: number;
  /** Sums of the rows going left (the right side's are the node's minus these). */
  leftGradient: number;
  leftHessian: number;
}

interface GrowingNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  gradientSum: number;
  hessianSum: number;
  hist: Float64Array | null;
  split: SplitCandidate | null;
}

/** A leaf of a grown tree and the rows (a range of the grower's row order) that reached it. */
export interface LeafRange {
  start: number;
  end: number;
  value: number;
}

/**
 * Grows gradient boosting trees on binned features, best-first (like sklearn's
 * HistGradientBoosting): one histogram pass per node over its rows, the larger child's histogram
 * derived as parent minus the smaller child, rows partitioned in place.
 */
export class HistogramTreeGrower {
  /** Row ids; each node owns a contiguous range of it. */
  readonly rows: Uint32Array;
  private readonly bins: Uint8Array;
  private readonly scratch: Uint32Array;
  /** Start of each feature's bins in a histogram, times SLOTS. */
  private readonly histOffset: Int32Array;
  private readonly histLength: number;
  private readonly freeHistograms: Float64Array[] = [];
  /** The bins again, one array per feature: partitioning reads one feature of many rows. */
  private readonly binColumns: Uint8Array[];
  private readonly gradientBuffer: Float64Array;
  private helper: HistogramHelper | null = null;

  /**
   * With `shared`, rows, bins and gradients live in SharedArrayBuffers so that `startHelper` can
   * add a second thread. `outputs` gradient buffers (one per tree of a round) come from
   * `gradientBuffers`.
   */
  constructor(
    private readonly x: BinnedMatrix,
    private readonly edges: BinEdges,
    outputs: number,
    private readonly shared = false,
    private readonly parallelNodeRows = PARALLEL_NODE_ROWS,
  ) {
    const allocate = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.rows = new Uint32Array(allocate(x.rows * 4));
    this.bins = new Uint8Array(allocate(x.bins.length));
    this.bins.set(x.bins);
    this.gradientBuffer = new Float64Array(allocate(outputs * 2 * x.rows * 8));
    this.scratch = new Uint32Array(x.rows);
    this.histOffset = new Int32Array(x.cols);
    let offset = 0;
    for (let feature = 0; feature < x.cols; feature++) {
      this.histOffset[feature] = offset * SLOTS;
      offset += x.binCounts[feature];
    }
    this.histLength = offset * SLOTS;
    this.binColumns = Array.from({ length: x.cols }, (_, feature) => {
      const column = new Uint8Array(x.rows);
      for (let row = 0, at = feature; row < x.rows; row++, at += x.cols) column[row] = x.bins[at];
      return column;
    });
  }

  /** Where the loss writes the gradient pairs of each output (the grower reads them from there). */
  gradientBuffers(): Float64Array[] {
    const length = 2 * this.x.rows;
    return Array.from({ length: this.gradientBuffer.length / length }, (_, k) =>
      this.gradientBuffer.subarray(k * length, (k + 1) * length),
    );
  }

  /** Starts the helper thread (shared growers only). */
  async startHelper(): Promise<void> {
    if (!this.shared || this.helper) return;
    this.helper = await HistogramHelper.start({
      bins: this.bins,
      cols: this.x.cols,
      rows: this.rows,
      gradHess: this.gradientBuffer,
      offsets: this.histOffset,
      histLength: this.histLength,
    });
  }

  async close(): Promise<void> {
    await this.helper?.close();
    this.helper = null;
  }

  /**
   * Grows one tree on rows[0, rowCount) with interleaved gradients and hessians
   * (gradHess[2 * row], gradHess[2 * row + 1]). Leaf values are float32 (as ONNX stores them) and
   * already scaled by the learning rate.
   */
  grow(
    rowCount: number,
    gradHess: Float64Array,
    options: HistogramTreeOptions,
  ): { tree: FlatTree; leaves: LeafRange[] } {
    const builder = new TreeBuilder(1);
    const root: GrowingNode = {
      id: builder.addNode(),
      start: 0,
      end: rowCount,
      depth: 0,
      gradientSum: 0,
      hessianSum: 0,
      hist: this.takeHistogram(),
      split: null,
    };
    this.buildHistogram(root.hist!, 0, rowCount, gradHess, options.features);
    this.sumFromHistogram(root, options.features[0]);
    this.findSplit(root, options);

    const leaves: GrowingNode[] = [root];
    let leafCount = 1;
    for (;;) {
      const best = bestCandidate(leaves);
      if (!best || leafCount >= options.maxLeafNodes) break;
      leaves.splice(leaves.indexOf(best), 1);
      leaves.push(...this.splitNode(best, builder, gradHess, options));
      leafCount++;
    }
    const ranges: LeafRange[] = [];
    for (const leaf of leaves) {
      this.releaseHistogram(leaf.hist);
      const value = Math.fround(
        (-options.learningRate * leaf.gradientSum) / (leaf.hessianSum + options.l2Regularization),
      );
      builder.setLeafValues(leaf.id, [value]);
      ranges.push({ start: leaf.start, end: leaf.end, value });
    }
    return { tree: builder.build(), leaves: ranges };
  }

  private splitNode(
    node: GrowingNode,
    builder: TreeBuilder,
    gradHess: Float64Array,
    options: HistogramTreeOptions,
  ): GrowingNode[] {
    const { feature, bin } = node.split!;
    const ids = builder.split(node.id, feature, bin, this.edges.thresholds[feature][bin]);
    const middle = this.partition(node.start, node.end, feature, bin);
    const child = (id: number, start: number, end: number): GrowingNode => ({
      id,
      start,
      end,
      depth: node.depth + 1,
      gradientSum: 0,
      hessianSum: 0,
      hist: null,
      split: null,
    });
    const left = child(ids.left, node.start, middle);
    const right = child(ids.right, middle, node.end);
    const [small, large] = middle - node.start <= node.end - middle ? [left, right] : [right, left];
    const split = node.split!;
    const leftIsSmall = small === left;
    small.gradientSum = leftIsSmall ? split.leftGradient : node.gradientSum - split.leftGradient;
    small.hessianSum = leftIsSmall ? split.leftHessian : node.hessianSum - split.leftHessian;
    large.gradientSum = node.gradientSum - small.gradientSum;
    large.hessianSum = node.hessianSum - small.hessianSum;

    const canSplit = (n: GrowingNode) =>
      n.depth < options.maxDepth && n.end - n.start >= 2 * options.minSamplesLeaf;
    if (canSplit(small) || canSplit(large)) {
      small.hist = this.takeHistogram();
      this.buildHistogram(small.hist, small.start, small.end, gradHess, options.features);
      if (canSplit(large)) {
        large.hist = node.hist!;
        subtractInPlace(large.hist, small.hist);
        node.hist = null;
      }
    }
    this.releaseHistogram(node.hist);
    node.hist = null;
    for (const n of [left, right]) {
      if (canSplit(n)) this.findSplit(n, options);
      if (!n.split) {
        this.releaseHistogram(n.hist);
        n.hist = null;
      }
    }
    return [left, right];
  }

  /** The node's histogram; large nodes give their second half of rows to the helper thread. */
  private buildHistogram(
    hist: Float64Array,
    start: number,
    end: number,
    gradHess: Float64Array,
    features: Int32Array,
  ) {
    if (!this.helper || end - start < this.parallelNodeRows) {
      this.buildHistogramRange(hist, start, end, gradHess, features);
      return;
    }
    const middle = start + ((end - start) >> 1);
    this.helper.begin(middle, end, features, gradHess.byteOffset / 8);
    this.buildHistogramRange(hist, start, middle, gradHess, features);
    const other = this.helper.finish();
    for (let i = 0; i < hist.length; i++) hist[i] += other[i];
  }

  /** One pass over rows[start, end), all active features of a row side by side. */
  private buildHistogramRange(
    hist: Float64Array,
    start: number,
    end: number,
    gradHess: Float64Array,
    features: Int32Array,
  ) {
    hist.fill(0);
    const { bins } = this;
    const cols = this.x.cols;
    const rows = this.rows;
    const offsets = this.histOffset;
    const featureCount = features.length;
    if (featureCount === cols) {
      for (let i = start; i < end; i++) {
        const row = rows[i];
        const gradient = gradHess[2 * row];
        const hessian = gradHess[2 * row + 1];
        const base = row * cols;
        for (let feature = 0; feature < cols; feature++) {
          const at = offsets[feature] + bins[base + feature] * SLOTS;
          hist[at] += gradient;
          hist[at + 1] += hessian;
          hist[at + 2] += 1;
        }
      }
      return;
    }
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const gradient = gradHess[2 * row];
      const hessian = gradHess[2 * row + 1];
      const base = row * cols;
      for (let j = 0; j < featureCount; j++) {
        const feature = features[j];
        const at = offsets[feature] + bins[base + feature] * SLOTS;
        hist[at] += gradient;
        hist[at + 1] += hessian;
        hist[at + 2] += 1;
      }
    }
  }

  /** The node's gradient and hessian sums: the total of any one feature's histogram. */
  private sumFromHistogram(node: GrowingNode, feature: number): void {
    const hist = node.hist!;
    const offset = this.histOffset[feature];
    let gradientSum = 0;
    let hessianSum = 0;
    for (let bin = 0; bin < this.x.binCounts[feature]; bin++) {
      gradientSum += hist[offset + bin * SLOTS];
      hessianSum += hist[offset + bin * SLOTS + 1];
    }
    node.gradientSum = gradientSum;
    node.hessianSum = hessianSum;
  }

  /** The split of largest positive gain that keeps min_samples_leaf rows on each side, if any. */
  private findSplit(node: GrowingNode, options: HistogramTreeOptions): void {
    const hist = node.hist!;
    const { l2Regularization: l2, minSamplesLeaf } = options;
    const count = node.end - node.start;
    const gradientSum = node.gradientSum;
    const hessianSum = node.hessianSum;
    const parentScore = (gradientSum * gradientSum) / (hessianSum + l2);
    let best: SplitCandidate | null = null;
    for (const feature of options.features) {
      const offset = this.histOffset[feature];
      const lastBin = this.x.binCounts[feature] - 1;
      let leftGradient = 0;
      let leftHessian = 0;
      let leftCount = 0;
      for (let bin = 0; bin < lastBin; bin++) {
        const at = offset + bin * SLOTS;
        leftGradient += hist[at];
        leftHessian += hist[at + 1];
        leftCount += hist[at + 2];
        if (leftCount < minSamplesLeaf || leftHessian < MIN_CHILD_HESSIAN) continue;
        const rightHessian = hessianSum - leftHessian;
        if (count - leftCount < minSamplesLeaf || rightHessian < MIN_CHILD_HESSIAN) break;
        const rightGradient = gradientSum - leftGradient;
        const gain =
          (leftGradient * leftGradient) / (leftHessian + l2) +
          (rightGradient * rightGradient) / (rightHessian + l2) -
          parentScore;
        if (gain > (best?.gain ?? 0)) best = { feature, bin, gain, leftGradient, leftHessian };
      }
    }
    node.split = best;
  }

  /** Stable in-place partition of rows[start, end) on bin <= splitBin; returns the first right position. */
  private partition(start: number, end: number, feature: number, splitBin: number): number {
    const bins = this.binColumns[feature];
    const rows = this.rows;
    const scratch = this.scratch;
    let left = start;
    let right = 0;
    // Branch-free: a row's side is as good as random, so a branch would mispredict half the time.
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const goesLeft = 1 - ((splitBin - bins[row]) >>> 31);
      rows[left] = row;
      scratch[right] = row;
      left += goesLeft;
      right += 1 - goesLeft;
    }
    rows.set(scratch.subarray(0, right), left);
    return left;
  }

  private takeHistogram(): Float64Array {
    return this.freeHistograms.pop() ?? new Float64Array(this.histLength);
  }

  private releaseHistogram(hist: Float64Array | null): void {
    if (hist) this.freeHistograms.push(hist);
  }
}

function bestCandidate(leaves: GrowingNode[]): GrowingNode | undefined {
  let best: GrowingNode | undefined;
  for (const leaf of leaves) if (leaf.split && (!best || leaf.split.gain > best.split!.gain)) best = leaf;
  return best;
}

function subtractInPlace(target: Float64Array, minus: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] -= minus[i];
}
