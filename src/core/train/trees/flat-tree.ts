import type { DesignMatrix } from '../model-types.js';
import type { BinnedMatrix } from './binning.js';

/**
 * A fitted tree in flat arrays. Node 0 is the root; an internal node sends a row left when its
 * float32 feature value is <= threshold (ONNX BRANCH_LEQ), i.e. when its bin is <= thresholdBin.
 * A leaf (feature -1) holds `width` values at values[node * width].
 */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float32Array;
  thresholdBin: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  width: number;
  values: Float64Array;
}

/** Collects nodes while a tree grows; node ids are assigned in creation order. */
export class TreeBuilder {
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly thresholdBin: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly values: number[] = [];

  constructor(private readonly width: number) {}

  get nodeCount(): number {
    return this.feature.length;
  }

  /** A new node, a leaf until `split` is called on it. */
  addNode(): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.thresholdBin.push(0);
    this.left.push(-1);
    this.right.push(-1);
    for (let i = 0; i < this.width; i++) this.values.push(0);
    return this.feature.length - 1;
  }

  split(
    node: number,
    feature: number,
    thresholdBin: number,
    threshold: number,
  ): { left: number; right: number } {
    this.feature[node] = feature;
    this.thresholdBin[node] = thresholdBin;
    this.threshold[node] = threshold;
    const left = this.addNode();
    const right = this.addNode();
    this.left[node] = left;
    this.right[node] = right;
    return { left, right };
  }

  setLeafValues(node: number, values: ArrayLike<number>): void {
    for (let i = 0; i < this.width; i++) this.values[node * this.width + i] = values[i];
  }

  build(): FlatTree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float32Array.from(this.threshold),
      thresholdBin: Uint8Array.from(this.thresholdBin),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      width: this.width,
      values: Float64Array.from(this.values),
    };
  }
}

/** The leaf a row of raw values reaches, comparing float32-rounded values as onnxruntime does. */
export function leafOfRow(tree: FlatTree, x: DesignMatrix, row: number): number {
  const base = row * x.cols;
  let node = 0;
  while (tree.feature[node] >= 0) {
    const value = Math.fround(x.values[base + tree.feature[node]]);
    node = value <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return node;
}

/** The leaf a binned row reaches (same path as leafOfRow on the unbinned values). */
export function leafOfBinnedRow(tree: FlatTree, x: BinnedMatrix, row: number): number {
  const base = row * x.cols;
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = x.bins[base + tree.feature[node]] <= tree.thresholdBin[node] ? tree.left[node] : tree.right[node];
  }
  return node;
}
