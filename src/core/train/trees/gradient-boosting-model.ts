import type {
  DesignMatrix,
  EstimatorGraphNames,
  FittedEstimator,
  OnnxNodeSpec,
  Task,
  TrainingCurvePoint,
} from '../model-types.js';
import { leafOfRow, type FlatTree } from './flat-tree.js';
import { treeClassifierNode, treeRegressorNode } from './onnx-tree-ensemble.js';

/**
 * Boosted trees: raw score of output k = baseScores[k] + the leaf values of trees k, k + K, k + 2K, …
 * (K outputs: the class count for multiclass, 1 otherwise). Leaf values and base scores are
 * float32, as the ONNX file stores them.
 */
export class GradientBoostingModel implements FittedEstimator {
  readonly summary: { curve: TrainingCurvePoint[]; [key: string]: unknown };

  constructor(
    private readonly task: Task,
    private readonly trees: FlatTree[],
    private readonly baseScores: Float64Array,
    summary: { curve: TrainingCurvePoint[]; [key: string]: unknown },
  ) {
    this.summary = summary;
  }

  private get outputs(): number {
    return this.baseScores.length;
  }

  /** Raw scores [rows × outputs]. */
  private rawScores(x: DesignMatrix): Float64Array {
    const outputs = this.outputs;
    const raw = new Float64Array(x.rows * outputs);
    for (let row = 0; row < x.rows; row++) {
      for (let k = 0; k < outputs; k++) raw[row * outputs + k] = this.baseScores[k];
      this.trees.forEach((tree, index) => {
        raw[row * outputs + (index % outputs)] += tree.values[leafOfRow(tree, x, row)];
      });
    }
    return raw;
  }

  predict(x: DesignMatrix): Float64Array {
    const raw = this.rawScores(x);
    if (this.task.kind === 'regression') return raw;
    if (this.task.kind === 'binary') {
      const probabilities = new Float64Array(x.rows * 2);
      for (let row = 0; row < x.rows; row++) {
        const p = 1 / (1 + Math.exp(-raw[row]));
        probabilities[2 * row] = 1 - p;
        probabilities[2 * row + 1] = p;
      }
      return probabilities;
    }
    const k = this.outputs;
    for (let row = 0; row < x.rows; row++) {
      const scores = raw.subarray(row * k, (row + 1) * k);
      const max = Math.max(...scores);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += scores[c] = Math.exp(scores[c] - max);
      for (let c = 0; c < k; c++) scores[c] /= sum;
    }
    return raw;
  }

  toOnnxNodes(names: EstimatorGraphNames): OnnxNodeSpec[] {
    const outputs = this.outputs;
    const leafWeights = (tree: number, node: number) => [
      { id: tree % outputs, weight: this.trees[tree].values[node] },
    ];
    const baseValues = Array.from(this.baseScores);
    if (this.task.kind === 'regression')
      return [
        treeRegressorNode({
          input: names.input,
          scores: names.scores,
          trees: this.trees,
          leafWeights,
          aggregate: 'SUM',
          baseValues,
        }),
      ];
    return [
      treeClassifierNode({
        input: names.input,
        label: names.label,
        scores: names.scores,
        trees: this.trees,
        leafWeights,
        classCount: this.task.kind === 'binary' ? 2 : this.task.classCount,
        postTransform: this.task.kind === 'binary' ? 'LOGISTIC' : 'SOFTMAX',
        baseValues,
      }),
    ];
  }
}
