import type { Estimator, FitInput, Task } from '../model-types.js';
import { applyBinEdges, fitBinEdges } from './binning.js';
import { ForestTreeGrower } from './forest-tree.js';
import {
  booleanParam,
  integerIn,
  integerOrNone,
  numberIn,
  parseKeyValueParams,
  type ParamParser,
} from './params.js';
import { SeededRandom } from '../../random.js';
import { DEFAULT_MAX_TOTAL_NODES, MAX_TOTAL_NODES_CEILING, nodeBudgetExceeded } from './node-budget.js';
import { RandomForestModel } from './random-forest-model.js';

/** Params of `random-forest`; names and defaults follow sklearn's RandomForest (docs/train-trees.md). */
export interface RandomForestParams {
  n_estimators: number;
  /** null: grow until leaves are pure or too small. */
  max_depth: number | null;
  min_samples_leaf: number;
  min_samples_split: number;
  /** Features drawn per split: 'sqrt', 'log2', a fraction in (0, 1], or 'auto' (sqrt for classifiers, all for regressors). */
  max_features: 'auto' | 'sqrt' | 'log2' | number;
  bootstrap: boolean;
  max_bins: number;
  /** Most nodes over all trees; training stops with an InputError before passing it (see node-budget.ts). */
  max_total_nodes: number;
}

const maxFeaturesParam: ParamParser<RandomForestParams['max_features']> = (value, key) => {
  const word = value.toLowerCase();
  if (word === 'auto' || word === 'sqrt' || word === 'log2') return word;
  return numberIn(0, 1, true)(value, key);
};

const parsers: { [K in keyof RandomForestParams]: ParamParser<RandomForestParams[K]> } = {
  n_estimators: integerIn(1, 100_000),
  max_depth: integerOrNone(1),
  min_samples_leaf: integerIn(1),
  min_samples_split: integerIn(2),
  max_features: maxFeaturesParam,
  bootstrap: booleanParam,
  max_bins: integerIn(2, 255),
  max_total_nodes: integerIn(1, MAX_TOTAL_NODES_CEILING),
};

export const randomForest: Estimator<RandomForestParams> = {
  name: 'random-forest',
  tasks: ['binary', 'multiclass', 'regression'],
  defaults: {
    n_estimators: 100,
    max_depth: null,
    min_samples_leaf: 1,
    min_samples_split: 2,
    max_features: 'auto',
    bootstrap: true,
    max_bins: 255,
    max_total_nodes: DEFAULT_MAX_TOTAL_NODES,
  },
  paramDescriptions: {
    n_estimators: 'trees in the forest',
    max_depth: 'deepest level a tree may reach (none: grow until leaves are pure or too small)',
    min_samples_leaf: 'fewest training rows in a leaf',
    min_samples_split: 'fewest rows a node needs to be split',
    max_features:
      'features drawn per split: auto (sqrt for classifiers, all for regressors), sqrt, log2 or a fraction',
    bootstrap: 'each tree sees a bootstrap sample of the rows (seeded)',
    max_bins: 'quantile bins per feature (2-255); split thresholds sit between bins',
    max_total_nodes: `most nodes over all trees (1-${MAX_TOTAL_NODES_CEILING}); training stops with an error past it (~26 bytes of ONNX per node)`,
  },
  parseParams(raw) {
    return parseKeyValueParams(raw, this.defaults, parsers);
  },
  fit: async (input, params) => fitRandomForest(input, params),
};

function featuresPerSplit(maxFeatures: RandomForestParams['max_features'], cols: number, task: Task): number {
  if (maxFeatures === 'auto')
    return task.kind === 'regression' ? cols : Math.max(1, Math.floor(Math.sqrt(cols)));
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(cols)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(cols)));
  return Math.max(1, Math.floor(maxFeatures * cols));
}

/** Per row, the vector trees average: one-hot classes, or the value. */
function targetVectors(y: Float64Array, task: Task): { targets: Float64Array; width: number } {
  if (task.kind === 'regression') return { targets: y, width: 1 };
  const width = task.classCount;
  const targets = new Float64Array(y.length * width);
  for (let row = 0; row < y.length; row++) targets[row * width + y[row]] = 1;
  return { targets, width };
}

async function fitRandomForest(input: FitInput, params: RandomForestParams): Promise<RandomForestModel> {
  const { train, trainTarget, task, seed } = input;
  const edges = fitBinEdges(train, params.max_bins, seed);
  const binned = applyBinEdges(train, edges);
  const { targets, width } = targetVectors(trainTarget, task);
  const grower = new ForestTreeGrower(binned, edges, targets, width);
  const options = {
    maxDepth: params.max_depth ?? Infinity,
    minSamplesLeaf: params.min_samples_leaf,
    minSamplesSplit: params.min_samples_split,
    maxFeatures: featuresPerSplit(params.max_features, train.cols, task),
  };
  const random = new SeededRandom(seed);
  const weights = new Float64Array(train.rows);
  const trees = [];
  let totalNodes = 0;
  for (let t = 0; t < params.n_estimators; t++) {
    const treeRandom = random.fork();
    weights.fill(params.bootstrap ? 0 : 1);
    if (params.bootstrap) for (let i = 0; i < train.rows; i++) weights[treeRandom.below(train.rows)]++;
    const tree = grower.grow(weights, treeRandom, {
      ...options,
      maxNodes: params.max_total_nodes - totalNodes,
    });
    if (!tree) throw nodeBudgetExceeded(params.max_total_nodes, t + 1, params.n_estimators);
    totalNodes += tree.feature.length;
    trees.push(tree);
  }
  return new RandomForestModel(task, trees, {
    trees: trees.length,
    leaves: trees.reduce((sum, tree) => sum + tree.feature.filter((f) => f < 0).length, 0),
    maxFeatures: options.maxFeatures,
    trainRows: train.rows,
    bins: Array.from(binned.binCounts),
  });
}
