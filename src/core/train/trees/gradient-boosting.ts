import type {
  DesignMatrix,
  Estimator,
  FitInput,
  TargetVector,
  Task,
  TrainingCurvePoint,
} from '../model-types.js';
import { applyBinEdges, fitBinEdges, type BinnedMatrix } from './binning.js';
import { boostingLossFor } from './boosting-losses.js';
import { leafOfBinnedRow, type FlatTree } from './flat-tree.js';
import { GradientBoostingModel } from './gradient-boosting-model.js';
import { HistogramTreeGrower, PARALLEL_NODE_ROWS, type RowCountSource } from './histogram-tree.js';
import {
  booleanParam,
  integerIn,
  integerOrNone,
  numberIn,
  parseKeyValueParams,
  type ParamParser,
} from './params.js';
import { SeededRandom } from '../../random.js';
import { holdOut, sampleFeatures, sampleRowIndices } from './row-sampling.js';

/** Params of `gradient-boosting`; names and defaults follow sklearn's HistGradientBoosting (docs/train-trees.md). */
export interface GradientBoostingParams {
  learning_rate: number;
  /** Boosting rounds (sklearn: max_iter); a multiclass round grows one tree per class. */
  n_estimators: number;
  /** null: no limit. */
  max_depth: number | null;
  /** null: no limit. */
  max_leaf_nodes: number | null;
  min_samples_leaf: number;
  l2_regularization: number;
  /** Share of rows each round sees (Bernoulli per row). */
  subsample: number;
  /** Share of features each tree may split on. */
  colsample: number;
  max_bins: number;
  /** 'auto': on when there are more than 10,000 training rows (sklearn). */
  early_stopping: 'auto' | boolean;
  n_iter_no_change: number;
  tol: number;
  /**
   * 2: nodes of PARALLEL_NODE_ROWS rows or more split their histogram pass and their partition
   * with a helper thread (the histogram sums, so the bytes, differ from 1 thread's in the last
   * bits). It won about 30% on 800k rows when the machine's second core was free.
   */
  n_threads: number;
}

const AUTO_EARLY_STOPPING_ROWS = 10_000;
/** The training curve's train loss is measured on a sample of this many rows (sklearn scores the same). */
const TRAIN_LOSS_ROWS = 10_000;

const earlyStoppingParam: ParamParser<'auto' | boolean> = (value, key) =>
  value.toLowerCase() === 'auto' ? 'auto' : booleanParam(value, key);

const parsers: { [K in keyof GradientBoostingParams]: ParamParser<GradientBoostingParams[K]> } = {
  learning_rate: numberIn(0, 10, true),
  n_estimators: integerIn(1, 100_000),
  max_depth: integerOrNone(1),
  max_leaf_nodes: integerOrNone(2),
  min_samples_leaf: integerIn(1),
  l2_regularization: numberIn(0, Number.MAX_VALUE),
  subsample: numberIn(0, 1, true),
  colsample: numberIn(0, 1, true),
  max_bins: integerIn(2, 255),
  early_stopping: earlyStoppingParam,
  n_iter_no_change: integerIn(1),
  tol: numberIn(0, Number.MAX_VALUE),
  n_threads: integerIn(1, 2),
};

export const gradientBoosting: Estimator<GradientBoostingParams> = {
  name: 'gradient-boosting',
  tasks: ['binary', 'multiclass', 'regression'],
  defaults: {
    learning_rate: 0.1,
    n_estimators: 100,
    max_depth: null,
    max_leaf_nodes: 31,
    min_samples_leaf: 20,
    l2_regularization: 0,
    subsample: 1,
    colsample: 1,
    max_bins: 255,
    early_stopping: 'auto',
    n_iter_no_change: 10,
    tol: 1e-7,
    n_threads: 2,
  },
  paramDescriptions: {
    learning_rate: 'shrinkage applied to every leaf value',
    n_estimators: "boosting rounds (sklearn's max_iter); multiclass grows one tree per class per round",
    max_depth: 'deepest level a tree may reach (none: no limit)',
    max_leaf_nodes: 'most leaves per tree, grown best-first (none: no limit)',
    min_samples_leaf: 'fewest training rows in a leaf',
    l2_regularization: 'L2 penalty on leaf values',
    subsample: 'share of rows each round sees (seeded)',
    colsample: 'share of features each tree may split on (seeded)',
    max_bins: 'quantile bins per feature (2-255)',
    early_stopping:
      "auto (on above 10,000 training rows), true or false; stops on the validation split's loss",
    n_iter_no_change: 'rounds without improvement before early stopping',
    tol: 'smallest validation loss improvement that counts',
    n_threads: 'threads for histogram passes, partitions of large nodes and binary gradients (1 or 2)',
  },
  parseParams(raw) {
    return parseKeyValueParams(raw, this.defaults, parsers);
  },
  fit: async (input, params) => fitGradientBoosting(input, params),
};

interface Split {
  x: DesignMatrix;
  y: TargetVector;
}

/** Held out for early stopping when the pipeline gives no validation split (sklearn's validation_fraction). */
const EARLY_STOPPING_HOLDOUT = 0.1;

/** The rows to train on and the rows to stop on (the pipeline's validation split, or a holdout). */
function trainingSplits(
  input: FitInput,
  params: GradientBoostingParams,
): { train: Split; validation?: Split; stopEarly: boolean } {
  const stopEarly =
    params.early_stopping === 'auto' ? input.train.rows > AUTO_EARLY_STOPPING_ROWS : params.early_stopping;
  const train = { x: input.train, y: input.trainTarget };
  if (input.validation && input.validationTarget)
    return { train, validation: { x: input.validation, y: input.validationTarget }, stopEarly };
  if (!stopEarly || input.train.rows < 2) return { train, stopEarly: false };
  return {
    ...holdOut(input.train, input.trainTarget, EARLY_STOPPING_HOLDOUT, input.seed ^ 0x7a11d),
    stopEarly,
  };
}

/** sklearn's rule: stop when none of the last n losses beat the one n + 1 back by more than tol. */
function shouldStop(losses: number[], patience: number, tol: number): boolean {
  if (losses.length <= patience) return false;
  const reference = losses[losses.length - patience - 1];
  return losses.slice(-patience).every((loss) => !(loss < reference - tol));
}

/** Squared error has unit hessians, so hessian sums count rows; min_samples_leaf <= 1 needs no counts. */
function rowCountSource(task: Task, minSamplesLeaf: number): RowCountSource {
  if (task.kind === 'regression') return 'hessian';
  return minSamplesLeaf > 1 ? 'histogram' : 'unneeded';
}

/** Adds one tree's leaf values to output k of the raw scores of binned rows. */
function addTree(raw: Float64Array, outputs: number, k: number, tree: FlatTree, x: BinnedMatrix): void {
  for (let row = 0; row < x.rows; row++) raw[row * outputs + k] += tree.values[leafOfBinnedRow(tree, x, row)];
}

async function fitGradientBoosting(
  input: FitInput,
  params: GradientBoostingParams,
): Promise<GradientBoostingModel> {
  const { train, validation, stopEarly } = trainingSplits(input, params);
  const loss = boostingLossFor(input.task);
  const outputs = loss.outputs;
  const random = new SeededRandom(input.seed);
  const edges = fitBinEdges(train.x, params.max_bins, input.seed);
  const binned = applyBinEdges(train.x, edges);
  const binnedValidation = validation && applyBinEdges(validation.x, edges);
  const baseScores = loss.baseline(train.y).map(Math.fround);

  const rows = train.x.rows;
  const validationRaw = validation
    ? new Float64Array(validation.x.rows * outputs).map((_, i) => baseScores[i % outputs])
    : undefined;
  // The helper thread takes half of every node of PARALLEL_NODE_ROWS rows or more; the choice
  // depends on the data and params alone, so the model bytes do not depend on the machine.
  const grower = new HistogramTreeGrower(
    binned,
    edges,
    outputs,
    rowCountSource(input.task, params.min_samples_leaf),
    params.n_threads > 1 && rows >= PARALLEL_NODE_ROWS,
  );
  const gradHess = grower.gradientBuffers();
  const raw = grower.scores;
  raw.forEach((_, i) => (raw[i] = baseScores[i % outputs]));
  grower.targets.set(train.y);
  const lossRows = sampleRowIndices(rows, TRAIN_LOSS_ROWS, input.seed);
  const lossTargets = Float64Array.from(lossRows, (row) => train.y[row]);
  const lossRaw = new Float64Array(lossRows.length * outputs);
  const trainLoss = () => {
    for (let i = 0; i < lossRows.length; i++)
      for (let k = 0; k < outputs; k++) lossRaw[i * outputs + k] = raw[lossRows[i] * outputs + k];
    return loss.loss(lossRaw, lossTargets);
  };
  await grower.startHelper();
  try {
    return boost();
  } finally {
    await grower.close();
  }

  function boost(): GradientBoostingModel {
    const treeOptions = {
      maxDepth: params.max_depth ?? Infinity,
      maxLeafNodes: params.max_leaf_nodes ?? Infinity,
      minSamplesLeaf: params.min_samples_leaf,
      l2Regularization: params.l2_regularization,
      learningRate: params.learning_rate,
    };
    const trees: FlatTree[] = [];
    const curve: TrainingCurvePoint[] = [];
    const validationLosses = validation ? [loss.loss(validationRaw!, validation.y)] : [];
    let stoppedEarly = false;
    const binary = input.task.kind === 'binary';
    // Binary rounds on all rows get their gradients from the previous round's leaf-value pass.
    let gradientsReady = false;
    for (let iteration = 1; iteration <= params.n_estimators; iteration++) {
      if (!binary) loss.gradients(raw, train.y, gradHess);
      else if (!gradientsReady) grower.logisticGradients();
      const rowCount = sampleRoundRows(grower, params.subsample, random);
      for (let k = 0; k < outputs; k++) {
        if (k > 0) sampleRoundRows(grower, params.subsample, random, rowCount);
        const features = sampleFeatures(train.x.cols, params.colsample, random);
        const { tree, leaves } = grower.grow(rowCount, gradHess[k], { ...treeOptions, features });
        trees.push(tree);
        if (rowCount === rows) grower.addLeafValues(k, leaves, binary);
        else addTree(raw, outputs, k, tree, binned);
        gradientsReady = binary && rowCount === rows;
        if (binnedValidation) addTree(validationRaw!, outputs, k, tree, binnedValidation);
      }
      const point: TrainingCurvePoint = { iteration, trainLoss: trainLoss() };
      if (validation) {
        point.validationLoss = loss.loss(validationRaw!, validation.y);
        validationLosses.push(point.validationLoss);
      }
      curve.push(point);
      if (stopEarly && shouldStop(validationLosses, params.n_iter_no_change, params.tol)) {
        stoppedEarly = iteration < params.n_estimators;
        break;
      }
    }
    return new GradientBoostingModel(input.task, trees, baseScores, {
      iterations: curve.length,
      trees: trees.length,
      leaves: trees.reduce((sum, tree) => sum + tree.feature.filter((f) => f < 0).length, 0),
      earlyStopping: stopEarly,
      stoppedEarly,
      trainRows: rows,
      validationRows: validation?.x.rows ?? 0,
      bins: Array.from(binned.binCounts),
      curve,
    });
  }
}

/**
 * Fills rows[0, count) with the rows of this round: all of them, or each with probability
 * `subsample`. With `keepCount`, restores the same rows (ascending) after a tree permuted them.
 */
function sampleRoundRows(
  grower: HistogramTreeGrower,
  subsample: number,
  random: SeededRandom,
  keepCount?: number,
): number {
  const rows = grower.rows;
  if (subsample >= 1) {
    grower.selectAllRows();
    return rows.length;
  }
  if (keepCount !== undefined) {
    rows.subarray(0, keepCount).sort();
    return keepCount;
  }
  let count = 0;
  for (let row = 0; row < rows.length; row++) if (random.next() < subsample) rows[count++] = row;
  return count;
}
