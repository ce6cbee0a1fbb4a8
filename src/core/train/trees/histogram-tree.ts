import type { BinnedMatrix, BinEdges } from './binning.js';
import { TreeBuilder, type FlatTree } from './flat-tree.js';
import { bundleExclusiveFeatures, type FeatureBundles } from './feature-bundles.js';
import { HistogramHelper } from './histogram-helper.js';
import { logisticGradients } from './boosting-losses.js';

/**
 * Where a split's row counts (for min_samples_leaf) come from: a third histogram slot per bin;
 * the hessian sums, which are row counts when every hessian is 1 (squared error); or nowhere, when
 * min_samples_leaf <= 1 (the minimum child hessian already rules out empty children). Without the
 * third slot a histogram update writes two numbers instead of three.
 */
export type RowCountSource = 'histogram' | 'hessian' | 'unneeded';
/** A child needs this much hessian mass (sklearn's min_hessian_to_split). */
const MIN_CHILD_HESSIAN = 1e-3;
/**
 * Nodes with at least this many rows split their histogram pass and partition with the helper
 * thread (when there is one). With the threads spinning briefly between jobs, handing off costs
 * a few microseconds: 8,192 was 3-5% faster than 32,768 on 800k rows.
 */
export const PARALLEL_NODE_ROWS = 8_192;

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
 * HistGradientBoosting): one histogram pass per node over its rows (one-hot columns bundled, each
 * cell's histogram position precomputed), the larger child's histogram derived as parent minus the
 * smaller child, rows partitioned in place.
 */
export class HistogramTreeGrower {
  /** Row ids; each node owns a contiguous range of it. */
  readonly rows: Uint32Array;
  /** Histogram storage: the bins with one-hot columns bundled. */
  private readonly storage: FeatureBundles;
  /**
   * Per row and storage column, the histogram position of its bin ((column offset + bin) × slots),
   * precomputed so the histogram pass does no index arithmetic (in shared memory with a helper).
   */
  private readonly histIndex: Uint16Array | Uint32Array;
  /** Where a partition puts the right rows of rows[i] at scratch[i] (shared with a helper). */
  private readonly scratch: Uint32Array;
  /** Numbers per histogram bin: gradient sum, hessian sum, and the row count when counted there. */
  private readonly slots: number;
  /** Start of each storage column's bins in a histogram, times slots. */
  private readonly histOffset: Int32Array;
  private readonly histLength: number;
  private readonly freeHistograms: Float64Array[] = [];
  /**
   * The bins again, one feature after another (feature f's at [f × rows, (f + 1) × rows)):
   * partitioning reads one feature of many rows.
   */
  private readonly binColumns: Uint8Array;
  private readonly gradientBuffer: Float64Array;
  /**
   * The rows' raw scores ([row × outputs + output]) and targets, in shared memory with a helper so
   * that it can take half of each round's logistic gradients (Math.exp over every row: 0.9 s of
   * 100 rounds on 800k rows).
   */
  readonly scores: Float64Array;
  readonly targets: Float64Array;
  private helper: HistogramHelper | null = null;

  /**
   * With `shared`, rows, histogram positions and gradients live in SharedArrayBuffers so that
   * `startHelper` can add a second thread. `outputs` gradient buffers (one per tree of a round)
   * come from `gradientBuffers`.
   */
  constructor(
    private readonly x: BinnedMatrix,
    private readonly edges: BinEdges,
    outputs: number,
    private readonly rowCounts: RowCountSource,
    private readonly shared = false,
    private readonly parallelNodeRows = PARALLEL_NODE_ROWS,
  ) {
    const allocate = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.rows = new Uint32Array(allocate(x.rows * 4));
    this.storage = bundleExclusiveFeatures(x);
    this.gradientBuffer = new Float64Array(allocate(outputs * 2 * x.rows * 8));
    this.scores = new Float64Array(allocate(outputs * x.rows * 8));
    this.targets = new Float64Array(allocate(x.rows * 8));
    this.scratch = new Uint32Array(allocate(x.rows * 4));
    this.slots = rowCounts === 'histogram' ? 3 : 2;
    const slots = this.slots;
    this.histOffset = new Int32Array(this.storage.cols);
    let offset = 0;
    for (let column = 0; column < this.storage.cols; column++) {
      this.histOffset[column] = offset * slots;
      offset += this.storage.binCounts[column];
    }
    this.histLength = offset * slots;
    const cells = this.storage.bins.length;
    this.histIndex =
      this.histLength <= 0xffff ? new Uint16Array(allocate(cells * 2)) : new Uint32Array(allocate(cells * 4));
    for (let cell = 0; cell < cells; cell++)
      this.histIndex[cell] = this.histOffset[cell % this.storage.cols] + this.storage.bins[cell] * slots;
    this.binColumns = new Uint8Array(allocate(x.cols * x.rows));
    for (let feature = 0, to = 0; feature < x.cols; feature++)
      for (let row = 0, at = feature; row < x.rows; row++, at += x.cols) this.binColumns[to++] = x.bins[at];
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
      histIndex: this.histIndex,
      cols: this.storage.cols,
      rows: this.rows,
      scratch: this.scratch,
      binColumns: this.binColumns,
      gradHess: this.gradientBuffer,
      histLength: this.histLength,
      slots: this.slots,
      scores: this.scores,
      targets: this.targets,
    });
  }

  /**
   * Binary log-loss gradients of `scores` against `targets` (one output) into the first gradient
   * buffer; the helper, if any, takes the second half of the rows. Elementwise, so the bits do not
   * depend on the split.
   */
  logisticGradients(): void {
    const rows = this.x.rows;
    if (!this.helper) {
      logisticGradients(this.scores, this.targets, this.gradientBuffer, 0, rows);
      return;
    }
    const middle = rows >> 1;
    this.helper.beginLogisticGradients(middle, rows);
    logisticGradients(this.scores, this.targets, this.gradientBuffer, 0, middle);
    this.helper.finishLogisticGradients();
  }

  async close(): Promise<void> {
    await this.helper?.close();
    this.helper = null;
  }

  /**
   * Grows one tree on rows[0, rowCount) with interleaved gradients and hessians
   * (gradHess[2 * row], gradHess[2 * row + 1]; one of `gradientBuffers()`). Leaf values are
   * float32 (as ONNX stores them) and already scaled by the learning rate.
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
    const columns = this.storageColumns(options.features);
    this.buildHistogram(root.hist!, 0, rowCount, gradHess, columns);
    this.sumFromHistogram(root, columns[0]);
    this.findSplit(root, options);

    const leaves: GrowingNode[] = [root];
    let leafCount = 1;
    for (;;) {
      const best = bestCandidate(leaves);
      if (!best || leafCount >= options.maxLeafNodes) break;
      leaves.splice(leaves.indexOf(best), 1);
      leaves.push(...this.splitNode(best, builder, gradHess, options, columns));
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
    columns: Int32Array,
  ): GrowingNode[] {
    const { feature, bin, leftGradient, leftHessian } = node.split!;
    const ids = builder.split(node.id, feature, bin, this.edges.thresholds[feature][bin]);
    const middle = this.partition(node.start, node.end, feature, bin);
    const child = (id: number, start: number, end: number, gradientSum: number, hessianSum: number) => ({
      id,
      start,
      end,
      depth: node.depth + 1,
      gradientSum,
      hessianSum,
      hist: null as Float64Array | null,
      split: null as SplitCandidate | null,
    });
    const left = child(ids.left, node.start, middle, leftGradient, leftHessian);
    const right = child(
      ids.right,
      middle,
      node.end,
      node.gradientSum - leftGradient,
      node.hessianSum - leftHessian,
    );
    const [small, large] = middle - node.start <= node.end - middle ? [left, right] : [right, left];

    const canSplit = (n: GrowingNode) =>
      n.depth < options.maxDepth && n.end - n.start >= 2 * options.minSamplesLeaf;
    if (canSplit(small) || canSplit(large)) {
      small.hist = this.takeHistogram();
      this.buildHistogram(small.hist, small.start, small.end, gradHess, columns);
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

  /** The storage columns holding the given features, ascending. */
  private storageColumns(features: Int32Array): Int32Array {
    const columns = new Set<number>();
    for (const feature of features) columns.add(this.storage.storageOf[feature]);
    return Int32Array.from(columns).sort();
  }

  /** The node's histogram over the storage columns; large nodes give their second half of rows to the helper thread. */
  private buildHistogram(
    hist: Float64Array,
    start: number,
    end: number,
    gradHess: Float64Array,
    columns: Int32Array,
  ) {
    if (!this.helper || end - start < this.parallelNodeRows) {
      this.buildHistogramRange(hist, start, end, gradHess, columns);
      return;
    }
    const middle = start + ((end - start) >> 1);
    this.helper.beginHistogram(middle, end, columns, gradHess.byteOffset / 8);
    this.buildHistogramRange(hist, start, middle, gradHess, columns);
    const other = this.helper.finishHistogram();
    for (let i = 0; i < hist.length; i++) hist[i] += other[i];
  }

  /** One pass over rows[start, end), all active storage columns of a row side by side. */
  private buildHistogramRange(
    hist: Float64Array,
    start: number,
    end: number,
    gradHess: Float64Array,
    columns: Int32Array,
  ) {
    hist.fill(0);
    const index = this.histIndex;
    const cols = this.storage.cols;
    const rows = this.rows;
    const columnCount = columns.length;
    if (this.slots === 3) {
      for (let i = start; i < end; i++) {
        const row = rows[i];
        const gradient = gradHess[2 * row];
        const hessian = gradHess[2 * row + 1];
        const base = row * cols;
        for (let j = 0; j < columnCount; j++) {
          const at = index[base + columns[j]];
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
      for (let j = 0; j < columnCount; j++) {
        const at = index[base + columns[j]];
        hist[at] += gradient;
        hist[at + 1] += hessian;
      }
    }
  }

  /** The node's gradient and hessian sums: the total of any one storage column's histogram. */
  private sumFromHistogram(node: GrowingNode, column: number): void {
    const hist = node.hist!;
    const offset = this.histOffset[column];
    let gradientSum = 0;
    let hessianSum = 0;
    for (let bin = 0; bin < this.storage.binCounts[column]; bin++) {
      gradientSum += hist[offset + bin * this.slots];
      hessianSum += hist[offset + bin * this.slots + 1];
    }
    node.gradientSum = gradientSum;
    node.hessianSum = hessianSum;
  }

  /** The split of largest positive gain that keeps min_samples_leaf rows on each side, if any. */
  private findSplit(node: GrowingNode, options: HistogramTreeOptions): void {
    const hist = node.hist!;
    const { l2Regularization: l2 } = options;
    const slots = this.slots;
    // Without counts to check (rowCounts 'unneeded'), every split passes the row-count test.
    const countSlot = this.rowCounts === 'histogram' ? 2 : this.rowCounts === 'hessian' ? 1 : -1;
    const minSamplesLeaf = countSlot < 0 ? 0 : options.minSamplesLeaf;
    const count = node.end - node.start;
    const gradientSum = node.gradientSum;
    const hessianSum = node.hessianSum;
    const parentScore = (gradientSum * gradientSum) / (hessianSum + l2);
    let best: SplitCandidate | null = null;
    const consider = (
      feature: number,
      bin: number,
      leftGradient: number,
      leftHessian: number,
      leftCount: number,
    ) => {
      const rightHessian = hessianSum - leftHessian;
      if (leftCount < minSamplesLeaf || count - leftCount < minSamplesLeaf) return;
      if (leftHessian < MIN_CHILD_HESSIAN || rightHessian < MIN_CHILD_HESSIAN) return;
      const rightGradient = gradientSum - leftGradient;
      const gain =
        (leftGradient * leftGradient) / (leftHessian + l2) +
        (rightGradient * rightGradient) / (rightHessian + l2) -
        parentScore;
      if (gain > (best?.gain ?? 0)) best = { feature, bin, gain, leftGradient, leftHessian };
    };
    for (const feature of options.features) {
      const offset = this.histOffset[this.storage.storageOf[feature]];
      const bundleBin = this.storage.bundleBinOf[feature];
      if (bundleBin >= 0) {
        // A bundled one-hot column: its upper bin is the bundle's bin, its lower bin the rest.
        const at = offset + bundleBin * slots;
        const upperCount = countSlot < 0 ? 0 : hist[at + countSlot];
        consider(feature, 0, gradientSum - hist[at], hessianSum - hist[at + 1], count - upperCount);
        continue;
      }
      const lastBin = this.x.binCounts[feature] - 1;
      let leftGradient = 0;
      let leftHessian = 0;
      let leftCount = 0;
      for (let bin = 0; bin < lastBin; bin++) {
        const at = offset + bin * slots;
        leftGradient += hist[at];
        leftHessian += hist[at + 1];
        if (countSlot >= 0) leftCount += hist[at + countSlot];
        if (leftCount < minSamplesLeaf || leftHessian < MIN_CHILD_HESSIAN) continue;
        if (count - leftCount < minSamplesLeaf || hessianSum - leftHessian < MIN_CHILD_HESSIAN) break;
        consider(feature, bin, leftGradient, leftHessian, leftCount);
      }
    }
    node.split = best;
  }

  /**
   * Stable in-place partition of rows[start, end) on bin <= splitBin; returns the first right
   * position. Large nodes give their second half to the helper thread; joining the halves' left
   * and right runs gives the same order as one pass.
   */
  private partition(start: number, end: number, feature: number, splitBin: number): number {
    const rows = this.rows;
    const scratch = this.scratch;
    if (!this.helper || end - start < this.parallelNodeRows) {
      const left = this.partitionRange(start, end, feature, splitBin);
      rows.set(scratch.subarray(start, start + end - left), left);
      return left;
    }
    const middle = start + ((end - start) >> 1);
    this.helper.beginPartition(middle, end, feature, splitBin);
    const firstLeftEnd = this.partitionRange(start, middle, feature, splitBin);
    const secondLeftEnd = this.helper.finishPartition();
    const firstRights = middle - firstLeftEnd;
    const secondRights = end - secondLeftEnd;
    rows.copyWithin(firstLeftEnd, middle, secondLeftEnd);
    const rightStart = firstLeftEnd + secondLeftEnd - middle;
    rows.set(scratch.subarray(start, start + firstRights), rightStart);
    rows.set(scratch.subarray(middle, middle + secondRights), rightStart + firstRights);
    return rightStart;
  }

  /** Moves the left rows of rows[start, end) to its front (in order) and the right ones to scratch[start, …); returns the end of the left rows. */
  private partitionRange(start: number, end: number, feature: number, splitBin: number): number {
    const bins = this.binColumns;
    const binsAt = feature * this.x.rows;
    const rows = this.rows;
    const scratch = this.scratch;
    let left = start;
    let right = start;
    // Branch-free: a row's side is as good as random, so a branch would mispredict half the time.
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const goesLeft = 1 - ((splitBin - bins[binsAt + row]) >>> 31);
      rows[left] = row;
      scratch[right] = row;
      left += goesLeft;
      right += 1 - goesLeft;
    }
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
