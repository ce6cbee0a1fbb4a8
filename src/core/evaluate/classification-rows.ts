import { rankRows, type RankedRows } from './ranking.js';

/**
 * What a classifier said about n rows: class indices into `classes` (the model's class order) and,
 * when the model outputs them, per-class probabilities.
 */
export interface ClassificationPredictions {
  classes: string[];
  /** True class index per row. */
  actual: Int32Array;
  /** Predicted class index per row (the model's label output). */
  predicted: Int32Array;
  /** Row-major [n × k] probabilities, or null when the model outputs labels only. */
  probabilities: Float64Array | null;
}

/** Bins of the expected calibration error: 10 equal-width bins of the predicted label's probability. */
export const ECE_BINS = 10;

/** sklearn's log_loss clips probabilities to [eps, 1 − eps] with eps the float64 machine epsilon. */
const LOG_LOSS_EPS = 2.220446049250313e-16;

/** The ECE bin of a predicted label's probability (a probability of 1 falls in the last bin). */
export function calibrationBin(confidence: number): number {
  return Math.min(Math.floor(confidence * ECE_BINS), ECE_BINS - 1);
}

/**
 * How a pass counts the confusion matrix: a binary model by two flags per row (four scalar sums
 * give the four cells), a multiclass one by the cell index actual · k + predicted.
 */
export type ConfusionRows =
  | { kind: 'binary'; actualPositive: Uint8Array; predictedPositive: Uint8Array }
  | { kind: 'cells'; cell: Uint32Array };

/** Per-row terms of the probability metrics, in pass order. */
export interface RowTerms {
  logLoss: Float64Array;
  brier: Float64Array;
  /** 1[predicted = actual] − probability of the predicted label: summed per bin, the ECE gap. */
  calibrationGap: Float64Array;
  /**
   * The pass order's runs of rows with one calibration bin and one predicted class (few: the pass
   * order sorts by score or groups by both), so a pass sums a run in registers and stores it once.
   */
  runs: PredictionRuns;
}

export interface PredictionRuns {
  /** Each run's end (exclusive) in pass order. */
  end: Uint32Array;
  bin: Uint8Array;
  predicted: Int32Array;
}

function predictionRuns(bins: Uint8Array, predicted: Int32Array): PredictionRuns {
  const ends: number[] = [];
  const runBins: number[] = [];
  const runPredicted: number[] = [];
  for (let at = 0; at < bins.length; at++) {
    const last = at + 1 === bins.length || bins[at + 1] !== bins[at] || predicted[at + 1] !== predicted[at];
    if (!last) continue;
    ends.push(at + 1);
    runBins.push(bins[at]);
    runPredicted.push(predicted[at]);
  }
  return {
    end: Uint32Array.from(ends),
    bin: Uint8Array.from(runBins),
    predicted: Int32Array.from(runPredicted),
  };
}

/** One class's one-vs-rest ranking; `positions[rank]` is that row's place in the pass order (null: the same). */
export interface ClassRanking {
  classIndex: number;
  ranked: RankedRows;
  positions: Uint32Array | null;
}

/**
 * A classifier's rows laid out once so that every resample is a few weighted sequential passes
 * over arrays that never change.
 */
export interface PreparedClassification {
  predictions: ClassificationPredictions;
  /**
   * Rows in the order every pass walks them. A binary model with probabilities: by the positive
   * class's probability, highest first, so the same pass ranks (and calibration bins and predicted
   * labels form runs); a multiclass one: grouped by calibration bin and predicted class; a
   * label-only one: row order.
   */
  order: Uint32Array;
  /** Null when the binary ranking pass counts the confusion matrix itself. */
  confusion: ConfusionRows | null;
  /** Null when the model outputs labels only. */
  terms: RowTerms | null;
  /** One-vs-rest rankings: binary → the positive class (index 1); multiclass → every class. */
  rankings: ClassRanking[];
  /** Scratch for weights gathered into a ranking's order (multiclass). */
  rankingWeights: Uint8Array;
}

// Plain loops below: `TypedArray.from(source, mapFn)` calls the closure per element, several
// times slower on a million rows (measured).

function probabilityColumn(probabilities: Float64Array, k: number, classIndex: number): Float64Array {
  const column = new Float64Array(probabilities.length / k);
  for (let row = 0; row < column.length; row++) column[row] = probabilities[row * k + classIndex];
  return column;
}

function isClass(labels: Int32Array, classIndex: number): Uint8Array {
  const flags = new Uint8Array(labels.length);
  for (let row = 0; row < labels.length; row++) flags[row] = labels[row] === classIndex ? 1 : 0;
  return flags;
}

/** `values` read in `order`: out[i] = values[order[i]]. */
function inOrder<T extends Uint8Array | Int32Array | Uint32Array>(
  values: ArrayLike<number>,
  order: Uint32Array,
  into: T,
): T {
  for (let i = 0; i < order.length; i++) into[i] = values[order[i]];
  return into;
}

/** Row indices grouped by key (a counting sort, stable). */
function groupedBy(keys: Uint32Array, groups: number): Uint32Array {
  const starts = new Uint32Array(groups + 1);
  for (const key of keys) starts[key + 1]++;
  for (let group = 0; group < groups; group++) starts[group + 1] += starts[group];
  const order = new Uint32Array(keys.length);
  keys.forEach((key, row) => (order[starts[key]++] = row));
  return order;
}

function rowOrder(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let row = 0; row < n; row++) order[row] = row;
  return order;
}

function passOrder(predictions: ClassificationPredictions, binary: RankedRows | null): Uint32Array {
  const { probabilities, predicted, classes } = predictions;
  if (binary) return binary.order;
  if (!probabilities) return rowOrder(predicted.length);
  const k = classes.length;
  const keys = new Uint32Array(predicted.length);
  for (let row = 0; row < keys.length; row++)
    keys[row] = calibrationBin(probabilities[row * k + predicted[row]]) * k + predicted[row];
  return groupedBy(keys, ECE_BINS * k);
}

function confusionRows(predictions: ClassificationPredictions, order: Uint32Array): ConfusionRows {
  const { actual, predicted, classes } = predictions;
  const k = classes.length;
  if (k === 2) {
    return {
      kind: 'binary',
      actualPositive: inOrder(actual, order, new Uint8Array(order.length)),
      predictedPositive: inOrder(predicted, order, new Uint8Array(order.length)),
    };
  }
  const cell = new Uint32Array(order.length);
  for (let at = 0; at < order.length; at++) cell[at] = actual[order[at]] * k + predicted[order[at]];
  return { kind: 'cells', cell };
}

function rowTerms(
  predictions: ClassificationPredictions,
  probabilities: Float64Array,
  order: Uint32Array,
): RowTerms {
  const { actual, predicted } = predictions;
  const k = predictions.classes.length;
  const n = order.length;
  const logLoss = new Float64Array(n);
  const brier = new Float64Array(n);
  const calibrationGap = new Float64Array(n);
  const bins = new Uint8Array(n);
  for (let at = 0; at < n; at++) {
    const row = order[at];
    const offset = row * k;
    let clippedSum = 0;
    let squares = 0;
    for (let c = 0; c < k; c++) {
      const p = probabilities[offset + c];
      clippedSum += Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
      squares += (p - (actual[row] === c ? 1 : 0)) ** 2;
    }
    const pTrue = Math.min(Math.max(probabilities[offset + actual[row]], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    logLoss[at] = -Math.log(pTrue / clippedSum);
    // Binary Brier is sklearn's brier_score_loss on the positive class: (p₁ − y)², half the multiclass sum.
    brier[at] = k === 2 ? (probabilities[offset + 1] - (actual[row] === 1 ? 1 : 0)) ** 2 : squares;
    const confidence = probabilities[offset + predicted[row]];
    calibrationGap[at] = (actual[row] === predicted[row] ? 1 : 0) - confidence;
    bins[at] = calibrationBin(confidence);
  }
  return {
    logLoss,
    brier,
    calibrationGap,
    runs: predictionRuns(bins, inOrder(predicted, order, new Int32Array(order.length))),
  };
}

function classRankings(
  predictions: ClassificationPredictions,
  probabilities: Float64Array,
  order: Uint32Array,
): ClassRanking[] {
  const { actual, classes } = predictions;
  const k = classes.length;
  const passIndex = new Uint32Array(order.length);
  order.forEach((row, at) => (passIndex[row] = at));
  return classes.map((_, classIndex) => {
    const ranked = rankRows(probabilityColumn(probabilities, k, classIndex), isClass(actual, classIndex));
    return { classIndex, ranked, positions: inOrder(passIndex, ranked.order, new Uint32Array(order.length)) };
  });
}

export function prepareClassification(predictions: ClassificationPredictions): PreparedClassification {
  const { classes, actual, probabilities } = predictions;
  const k = classes.length;
  const binary =
    probabilities && k === 2 ? rankRows(probabilityColumn(probabilities, k, 1), isClass(actual, 1)) : null;
  const order = passOrder(predictions, binary);
  let rankings: ClassRanking[] = [];
  if (binary) rankings = [{ classIndex: 1, ranked: binary, positions: null }];
  else if (probabilities) rankings = classRankings(predictions, probabilities, order);
  return {
    predictions,
    order,
    confusion: binary ? null : confusionRows(predictions, order),
    terms: probabilities ? rowTerms(predictions, probabilities, order) : null,
    rankings,
    rankingWeights: new Uint8Array(rankings.some((ranking) => ranking.positions) ? order.length : 0),
  };
}
