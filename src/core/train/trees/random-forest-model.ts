import type {
  DesignMatrix,
  EstimatorGraphNames,
  FittedEstimator,
  OnnxNodeSpec,
  Task,
} from '../model-types.js';
import { leafOfRow, type FlatTree } from './flat-tree.js';
import { treeClassifierNode, treeRegressorNode, type LeafWeight } from './onnx-tree-ensemble.js';

/**
 * A forest: classifiers average the leaves' class frequencies over the trees (sklearn's
 * predict_proba), regressors average the leaves' means. Each tree's share is the float32 that the
 * ONNX file stores (frequency / trees, or the mean), so predict() and onnxruntime add the same numbers.
 */
export class RandomForestModel implements FittedEstimator {
  constructor(
    private readonly task: Task,
    private readonly trees: FlatTree[],
    readonly summary: { [key: string]: unknown },
  ) {}

  /** What a leaf contributes per class (classifiers: frequency / trees) or its mean (regressors). */
  private leafShare(tree: FlatTree, node: number, k: number): number {
    const value = tree.values[node * tree.width + k];
    return Math.fround(this.task.kind === 'regression' ? value : value / this.trees.length);
  }

  predict(x: DesignMatrix): Float64Array {
    if (this.task.kind === 'regression') {
      const values = new Float64Array(x.rows);
      for (let row = 0; row < x.rows; row++) {
        for (const tree of this.trees) values[row] += this.leafShare(tree, leafOfRow(tree, x, row), 0);
        values[row] /= this.trees.length;
      }
      return values;
    }
    const k = this.task.classCount;
    const probabilities = new Float64Array(x.rows * k);
    for (let row = 0; row < x.rows; row++) {
      for (const tree of this.trees) {
        const leaf = leafOfRow(tree, x, row);
        if (k === 2) probabilities[row * 2 + 1] += this.leafShare(tree, leaf, 1);
        else for (let c = 0; c < k; c++) probabilities[row * k + c] += this.leafShare(tree, leaf, c);
      }
      if (k === 2) probabilities[row * 2] = 1 - probabilities[row * 2 + 1];
    }
    return probabilities;
  }

  /**
   * Binary: the positive class's share sits on class id 0 with post_transform NONE, which makes
   * onnxruntime return [1 − p, p] (see treeClassifierNode). Zero shares are left out.
   */
  toOnnxNodes(names: EstimatorGraphNames): OnnxNodeSpec[] {
    const task = this.task;
    if (task.kind === 'regression')
      return [
        treeRegressorNode({
          input: names.input,
          scores: names.scores,
          trees: this.trees,
          leafWeights: (tree, node) => [{ id: 0, weight: this.leafShare(this.trees[tree], node, 0) }],
          aggregate: 'AVERAGE',
        }),
      ];
    const classCount = task.classCount;
    const leafWeights = (treeIndex: number, node: number): LeafWeight[] => {
      const tree = this.trees[treeIndex];
      if (classCount === 2) return [{ id: 0, weight: this.leafShare(tree, node, 1) }];
      const weights: LeafWeight[] = [];
      for (let c = 0; c < classCount; c++) {
        const weight = this.leafShare(tree, node, c);
        if (weight !== 0) weights.push({ id: c, weight });
      }
      return weights;
    };
    return [
      treeClassifierNode({
        input: names.input,
        label: names.label,
        scores: names.scores,
        trees: this.trees,
        leafWeights,
        classCount,
        postTransform: 'NONE',
      }),
    ];
  }
}
