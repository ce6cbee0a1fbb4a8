import type { OnnxAttribute, OnnxNodeSpec } from '../model-types.js';
import type { FlatTree } from './flat-tree.js';

/** One weight a leaf adds to a class (classifier) or target (regressor). */
export interface LeafWeight {
  id: number;
  weight: number;
}

/** The weights a leaf contributes; `tree` indexes the ensemble. */
export type LeafWeights = (tree: number, node: number) => LeafWeight[];

/** nodes_* attributes: every node of every tree, BRANCH_LEQ (left when value <= threshold) or LEAF. */
function nodeAttributes(trees: FlatTree[]): OnnxAttribute[] {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const values: number[] = [];
  const modes: string[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  trees.forEach((tree, treeIndex) => {
    for (let node = 0; node < tree.feature.length; node++) {
      const isLeaf = tree.feature[node] < 0;
      treeIds.push(treeIndex);
      nodeIds.push(node);
      featureIds.push(isLeaf ? 0 : tree.feature[node]);
      values.push(isLeaf ? 0 : tree.threshold[node]);
      modes.push(isLeaf ? 'LEAF' : 'BRANCH_LEQ');
      trueIds.push(isLeaf ? 0 : tree.left[node]);
      falseIds.push(isLeaf ? 0 : tree.right[node]);
    }
  });
  return [
    { name: 'nodes_treeids', ints: treeIds },
    { name: 'nodes_nodeids', ints: nodeIds },
    { name: 'nodes_featureids', ints: featureIds },
    { name: 'nodes_values', floats: values },
    { name: 'nodes_modes', strings: modes },
    { name: 'nodes_truenodeids', ints: trueIds },
    { name: 'nodes_falsenodeids', ints: falseIds },
  ];
}

/** `<prefix>_treeids/_nodeids/_ids/_weights`: the weights of every leaf. */
function leafAttributes(
  prefix: 'class' | 'target',
  trees: FlatTree[],
  leafWeights: LeafWeights,
): OnnxAttribute[] {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const ids: number[] = [];
  const weights: number[] = [];
  trees.forEach((tree, treeIndex) => {
    for (let node = 0; node < tree.feature.length; node++) {
      if (tree.feature[node] >= 0) continue;
      for (const { id, weight } of leafWeights(treeIndex, node)) {
        treeIds.push(treeIndex);
        nodeIds.push(node);
        ids.push(id);
        weights.push(weight);
      }
    }
  });
  return [
    { name: `${prefix}_treeids`, ints: treeIds },
    { name: `${prefix}_nodeids`, ints: nodeIds },
    { name: `${prefix}_ids`, ints: ids },
    { name: `${prefix}_weights`, floats: weights },
  ];
}

export interface TreeClassifierSpec {
  input: string;
  label: string;
  scores: string;
  trees: FlatTree[];
  leafWeights: LeafWeights;
  classCount: number;
  postTransform: 'NONE' | 'LOGISTIC' | 'SOFTMAX';
  baseValues?: number[];
}

/**
 * ai.onnx.ml TreeEnsembleClassifier with class labels 0..k-1. For two classes, put every weight on
 * class id 0: onnxruntime then returns [1 - p, p] (with LOGISTIC, p = sigmoid of the sum) and label
 * p > 0.5; weights on class id 1 gave [0.5, p] with LOGISTIC (checked with onnxruntime-node 1.30).
 */
export function treeClassifierNode(spec: TreeClassifierSpec): OnnxNodeSpec {
  const attributes: OnnxAttribute[] = [
    { name: 'classlabels_int64s', ints: Array.from({ length: spec.classCount }, (_, k) => k) },
    ...nodeAttributes(spec.trees),
    ...leafAttributes('class', spec.trees, spec.leafWeights),
    { name: 'post_transform', s: spec.postTransform },
  ];
  if (spec.baseValues) attributes.push({ name: 'base_values', floats: spec.baseValues });
  return {
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    inputs: [spec.input],
    outputs: [spec.label, spec.scores],
    attributes,
  };
}

export interface TreeRegressorSpec {
  input: string;
  scores: string;
  trees: FlatTree[];
  leafWeights: LeafWeights;
  aggregate: 'SUM' | 'AVERAGE';
  baseValues?: number[];
}

/** ai.onnx.ml TreeEnsembleRegressor with one target, writing [N, 1]. */
export function treeRegressorNode(spec: TreeRegressorSpec): OnnxNodeSpec {
  const attributes: OnnxAttribute[] = [
    { name: 'n_targets', i: 1 },
    ...nodeAttributes(spec.trees),
    ...leafAttributes('target', spec.trees, spec.leafWeights),
    { name: 'aggregate_function', s: spec.aggregate },
    { name: 'post_transform', s: 'NONE' },
  ];
  if (spec.baseValues) attributes.push({ name: 'base_values', floats: spec.baseValues });
  return {
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    inputs: [spec.input],
    outputs: [spec.scores],
    attributes,
  };
}
