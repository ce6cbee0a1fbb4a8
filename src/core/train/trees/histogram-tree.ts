import type { BinnedMatrix, BinEdges } from './binning.js';
import { TreeBuilder, type FlatTree } from './flat-tree.js';
import { bundleExclusiveFeatures, type FeatureBundles } from './feature-bundles.js';
import { HistogramHelper } from './histogram-helper.js';
import { instantiateHistogramKernels, kernelMemory, type HistogramKernels } from './histogram-kernels.js';

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
/** Most leaves per tree whose numbers fit the two bytes per row that addLeafValues' kernels use. */
const MAX_KERNEL_LEAVES = 0xffff;

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
 * smaller child, rows partitioned in place. The histogram passes and partitions are WebAssembly
 * kernels (histogram-kernels.wat: 3-5× the speed of the same loops in JavaScript) over one shared
 * memory holding the rows, bins and gradients, which a helper thread can work on too.
 */
export class HistogramTreeGrower {
  /** Row ids; each node owns a contiguous range of it. */
  readonly rows: Uint32Array;
  /** Histogram storage: the bins with one-hot columns bundled. */
  private readonly storage: FeatureBundles;
  private readonly kernels: HistogramKernels;
  private readonly memory: WebAssembly.Memory;
  /**
   * Per row and storage column, the histogram position of its bin ((column offset + bin) × slots),
   * precomputed so the histogram pass does no index arithmetic; u16 when the histogram is small
   * enough.
   */
  private readonly histIndex: Uint16Array | Uint32Array;
  /** The histogram kernel for the tree being grown (by index width, and whether every column is active). */
  private histogramKernel: 'histogram16' | 'histogramAll16' | 'histogram32' = 'histogram16';
  /** Where a partition puts the right rows of rows[i] at scratch[i]. */
  private readonly scratch: Uint32Array;
  /** The histogram columns of the tree being grown, as byte offsets within a row of histIndex. */
  private readonly activeColumns: Int32Array;
  private activeColumnCount = 0;
  /** Where the kernels build a histogram: the main thread's, and the helper thread's. */
  private readonly kernelHist: Float64Array;
  private readonly helperHist: Float64Array;
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
  /** The rows' raw scores ([row × outputs + output]) and targets. */
  readonly scores: Float64Array;
  readonly targets: Float64Array;
  /** Per row, its leaf's number in the last tree (addLeafValues), and the leaves' values. */
  private readonly leafOf: Uint16Array;
  private readonly leafValues: Float64Array;
  private helper: HistogramHelper | null = null;
  private allRows: Uint32Array | undefined;

  /**
   * With `shared`, `startHelper` can add a second thread. `outputs` gradient buffers (one per tree
   * of a round) come from `gradientBuffers`.
   */
  constructor(
    private readonly x: BinnedMatrix,
    private readonly edges: BinEdges,
    private readonly outputs: number,
    private readonly rowCounts: RowCountSource,
    private readonly shared = false,
    private readonly parallelNodeRows = PARALLEL_NODE_ROWS,
  ) {
    this.storage = bundleExclusiveFeatures(x);
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
    const indexBytes = this.histLength <= 0xffff ? 2 : 4;
    const sizes = {
      histIndex: cells * indexBytes,
      rows: x.rows * 4,
      scratch: x.rows * 4,
      binColumns: x.cols * x.rows,
      gradHess: outputs * 2 * x.rows * 8,
      scores: outputs * x.rows * 8,
      targets: x.rows * 8,
      leafOf: x.rows * 2,
      leafValues: MAX_KERNEL_LEAVES * 8,
      activeColumns: this.storage.cols * 4,
      kernelHist: this.histLength * 8,
      helperHist: this.histLength * 8,
    };
    const { memory, addresses } = kernelMemory(Object.values(sizes));
    const at = Object.fromEntries(Object.keys(sizes).map((name, i) => [name, addresses[i]])) as typeof sizes;
    this.memory = memory;
    this.kernels = instantiateHistogramKernels(memory);
    const bytes = memory.buffer;
    this.histIndex =
      indexBytes === 2
        ? new Uint16Array(bytes, at.histIndex, cells)
        : new Uint32Array(bytes, at.histIndex, cells);
    this.rows = new Uint32Array(bytes, at.rows, x.rows);
    this.scratch = new Uint32Array(bytes, at.scratch, x.rows);
    this.binColumns = new Uint8Array(bytes, at.binColumns, x.cols * x.rows);
    this.gradientBuffer = new Float64Array(bytes, at.gradHess, outputs * 2 * x.rows);
    this.scores = new Float64Array(bytes, at.scores, outputs * x.rows);
    this.targets = new Float64Array(bytes, at.targets, x.rows);
    this.leafOf = new Uint16Array(bytes, at.leafOf, x.rows);
    this.leafValues = new Float64Array(bytes, at.leafValues, MAX_KERNEL_LEAVES);
    this.activeColumns = new Int32Array(bytes, at.activeColumns, this.storage.cols);
    this.kernelHist = new Float64Array(bytes, at.kernelHist, this.histLength);
    this.helperHist = new Float64Array(bytes, at.helperHist, this.histLength);
    const { cols: storageCols, bins: storageBins } = this.storage;
    for (let cell = 0; cell < cells; cell += storageCols)
      for (let column = 0; column < storageCols; column++)
        this.histIndex[cell + column] = this.histOffset[column] + storageBins[cell + column] * slots;
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
    this.helper = await HistogramHelper.start(this.memory);
  }

  /**
   * Binary log-loss gradients of `scores` against `targets` (one output) into the first gradient
   * buffer; the helper, if any, takes the second half of the rows. Elementwise, so the bits do not
   * depend on the split.
   */
  logisticGradients(): void {
    const scores = this.scores.byteOffset;
    const targets = this.targets.byteOffset;
    const gradHess = this.gradientBuffer.byteOffset;
    this.runOnHalves('logisticGradients', this.x.rows, (start, end) => [
      scores + 8 * start,
      scores + 8 * end,
      targets + 8 * start,
      gradHess + 16 * start,
    ]);
  }

  /**
   * Adds a grown tree's leaf values to output `output` of the scores of every row (the tree grown
   * on all rows, which the leaves' ranges of `rows` then cover); with `thenLogisticGradients` (one
   * output), also the rows' logistic gradients from the new scores, in the same pass. Each row's
   * leaf number is written first (two bytes per row, mostly cache-resident) and the scores are then
   * walked in row order, instead of adding in leaf order, whose 8-byte writes jump across the whole
   * score array.
   */
  addLeafValues(output: number, leaves: LeafRange[], thenLogisticGradients = false): void {
    const outputs = this.outputs;
    if (leaves.length > MAX_KERNEL_LEAVES) {
      for (const leaf of leaves)
        for (let i = leaf.start; i < leaf.end; i++)
          this.scores[this.rows[i] * outputs + output] += leaf.value;
      if (thenLogisticGradients) this.logisticGradients();
      return;
    }
    const rows = this.rows.byteOffset;
    const leafOf = this.leafOf.byteOffset;
    const values = this.leafValues.byteOffset;
    leaves.forEach(({ start, end, value }, leaf) => {
      this.leafValues[leaf] = value;
      this.kernels.markLeaf(rows + 4 * start, rows + 4 * end, leafOf, leaf);
    });
    const scores = this.scores.byteOffset + 8 * output;
    if (thenLogisticGradients) {
      const targets = this.targets.byteOffset;
      const gradHess = this.gradientBuffer.byteOffset;
      this.runOnHalves('addLeafValuesLogistic', this.x.rows, (start, end) => [
        leafOf + 2 * start,
        leafOf + 2 * end,
        values,
        scores + 8 * start,
        targets + 8 * start,
        gradHess + 16 * start,
      ]);
      return;
    }
    this.runOnHalves('addLeafValues', this.x.rows, (start, end) => [
      leafOf + 2 * start,
      leafOf + 2 * end,
      values,
      scores + 8 * outputs * start,
      8 * outputs,
    ]);
  }

  /** Runs an elementwise kernel on rows [0, count); the helper, if any, takes the second half. */
  private runOnHalves(
    kernel: 'logisticGradients' | 'addLeafValues' | 'addLeafValuesLogistic',
    count: number,
    args: (start: number, end: number) => number[],
  ): void {
    const run = (start: number, end: number) =>
      (this.kernels[kernel] as (...values: number[]) => void)(...args(start, end));
    if (!this.helper || count < this.parallelNodeRows) {
      run(0, count);
      return;
    }
    const middle = count >> 1;
    this.helper.beginKernel(kernel, args(middle, count));
    run(0, middle);
    this.helper.finishKernel();
  }

  /** Fills `rows` with every row id in ascending order (copied from a kept copy: a loop costs 1 ms on 800k rows). */
  selectAllRows(): void {
    this.allRows ??= Uint32Array.from({ length: this.x.rows }, (_, i) => i);
    this.rows.set(this.allRows);
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
    columns.forEach((column, i) => (this.activeColumns[i] = column * this.histIndex.BYTES_PER_ELEMENT));
    this.activeColumnCount = columns.length;
    this.histogramKernel =
      this.histIndex.BYTES_PER_ELEMENT === 4
        ? 'histogram32'
        : columns.length === this.storage.cols
          ? 'histogramAll16'
          : 'histogram16';
    this.buildHistogram(root.hist!, 0, rowCount, gradHess);
    this.sumFromHistogram(root, columns[0]);
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
      this.buildHistogram(small.hist, small.start, small.end, gradHess);
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

  /** The node's histogram over the active storage columns; large nodes give their second half of rows to the helper thread. */
  private buildHistogram(hist: Float64Array, start: number, end: number, gradHess: Float64Array) {
    if (!this.helper || end - start < this.parallelNodeRows) {
      this.kernels[this.histogramKernel](...this.histogramArguments(start, end, gradHess, this.kernelHist));
      hist.set(this.kernelHist);
      return;
    }
    const middle = start + ((end - start) >> 1);
    this.helper.beginKernel(
      this.histogramKernel,
      this.histogramArguments(middle, end, gradHess, this.helperHist),
    );
    this.kernels[this.histogramKernel](...this.histogramArguments(start, middle, gradHess, this.kernelHist));
    this.helper.finishKernel();
    const mine = this.kernelHist;
    const other = this.helperHist;
    for (let i = 0; i < hist.length; i++) hist[i] = mine[i] + other[i];
  }

  /** A histogram kernel's arguments for rows[start, end) into `into` (a kernel histogram). */
  private histogramArguments(
    start: number,
    end: number,
    gradHess: Float64Array,
    into: Float64Array,
  ): Parameters<HistogramKernels['histogram16']> {
    const rows = this.rows.byteOffset;
    const columns = this.activeColumns.byteOffset;
    return [
      rows + 4 * start,
      rows + 4 * end,
      this.histIndex.byteOffset,
      this.storage.cols * this.histIndex.BYTES_PER_ELEMENT,
      columns,
      columns + 4 * this.activeColumnCount,
      gradHess.byteOffset,
      into.byteOffset,
      into.byteLength,
      this.slots === 3 ? 1 : 0,
    ];
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
      const left = start + this.kernels.partition(...this.partitionArguments(start, end, feature, splitBin));
      rows.set(scratch.subarray(start, start + end - left), left);
      return left;
    }
    const middle = start + ((end - start) >> 1);
    this.helper.beginKernel('partition', this.partitionArguments(middle, end, feature, splitBin));
    const firstLeftEnd =
      start + this.kernels.partition(...this.partitionArguments(start, middle, feature, splitBin));
    const secondLeftEnd = middle + this.helper.finishKernel();
    const firstRights = middle - firstLeftEnd;
    const secondRights = end - secondLeftEnd;
    const rightStart = firstLeftEnd + secondLeftEnd - middle;
    // The order: first left run, second left run, first right run, second right run. The helper
    // puts the second right run at the end meanwhile: its place is past the runs moved here.
    this.helper.beginKernel('copy', [
      rows.byteOffset + 4 * (rightStart + firstRights),
      scratch.byteOffset + 4 * middle,
      4 * secondRights,
    ]);
    rows.copyWithin(firstLeftEnd, middle, secondLeftEnd);
    rows.set(scratch.subarray(start, start + firstRights), rightStart);
    this.helper.finishKernel();
    return rightStart;
  }

  /** The partition kernel's arguments: left rows of rows[start, end) to its front, right ones to scratch[start, …). */
  private partitionArguments(
    start: number,
    end: number,
    feature: number,
    splitBin: number,
  ): Parameters<HistogramKernels['partition']> {
    const rows = this.rows.byteOffset;
    return [
      rows + 4 * start,
      rows + 4 * end,
      this.scratch.byteOffset + 4 * start,
      this.binColumns.byteOffset + feature * this.x.rows,
      splitBin,
    ];
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
