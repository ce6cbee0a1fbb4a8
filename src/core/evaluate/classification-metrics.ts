import { argsortAscending, averagePrecision, rocAuc, type Weights } from './ranking.js';

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

export const CLASSIFICATION_METRICS = [
  'accuracy',
  'balanced_accuracy',
  'precision',
  'recall',
  'f1',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'roc_auc',
  'pr_auc',
  'log_loss',
  'brier',
  'ece',
] as const;

export type ClassificationMetricName = (typeof CLASSIFICATION_METRICS)[number];

/** Bins of the expected calibration error: 10 equal-width bins of the predicted label's probability. */
export const ECE_BINS = 10;

/** sklearn's log_loss clips probabilities to [eps, 1 − eps] with eps the float64 machine epsilon. */
const LOG_LOSS_EPS = 2.220446049250313e-16;

/**
 * Per-row terms and score orders computed once, so every bootstrap resample is a weighted pass
 * over arrays that never change.
 */
export interface PreparedClassification {
  predictions: ClassificationPredictions;
  /** One-vs-rest columns: binary → only the positive class (index 1); multiclass → every class. */
  rankedClasses: { classIndex: number; scores: Float64Array; positive: Uint8Array; order: Uint32Array }[];
  logLossTerms: Float64Array | null;
  brierTerms: Float64Array | null;
  confidence: Float64Array | null;
  calibrationBin: Uint8Array | null;
}

export function prepareClassification(predictions: ClassificationPredictions): PreparedClassification {
  const { classes, actual, predicted, probabilities } = predictions;
  const k = classes.length;
  const n = actual.length;
  if (!probabilities) {
    return {
      predictions,
      rankedClasses: [],
      logLossTerms: null,
      brierTerms: null,
      confidence: null,
      calibrationBin: null,
    };
  }
  const ranked = (k === 2 ? [1] : classes.map((_, index) => index)).map((classIndex) => {
    const scores = new Float64Array(n);
    const positive = new Uint8Array(n);
    for (let row = 0; row < n; row++) {
      scores[row] = probabilities[row * k + classIndex];
      positive[row] = actual[row] === classIndex ? 1 : 0;
    }
    return { classIndex, scores, positive, order: argsortAscending(scores) };
  });
  const logLossTerms = new Float64Array(n);
  const brierTerms = new Float64Array(n);
  const confidence = new Float64Array(n);
  const calibrationBin = new Uint8Array(n);
  for (let row = 0; row < n; row++) {
    const offset = row * k;
    let clippedSum = 0;
    let squares = 0;
    for (let c = 0; c < k; c++) {
      const p = probabilities[offset + c];
      clippedSum += Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
      const indicator = actual[row] === c ? 1 : 0;
      squares += (p - indicator) ** 2;
    }
    const pTrue = Math.min(Math.max(probabilities[offset + actual[row]], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    logLossTerms[row] = -Math.log(pTrue / clippedSum);
    // Binary Brier is sklearn's brier_score_loss on the positive class: (p₁ − y)², half the multiclass sum.
    brierTerms[row] = k === 2 ? (probabilities[offset + 1] - (actual[row] === 1 ? 1 : 0)) ** 2 : squares;
    confidence[row] = probabilities[offset + predicted[row]];
    calibrationBin[row] = Math.min(Math.floor(confidence[row] * ECE_BINS), ECE_BINS - 1);
  }
  return { predictions, rankedClasses: ranked, logLossTerms, brierTerms, confidence, calibrationBin };
}

/** Weighted confusion matrix: rows are the true class, columns the predicted class. */
export function confusionMatrix(
  actual: Int32Array,
  predicted: Int32Array,
  k: number,
  weights: Weights = null,
): number[][] {
  const cells = new Float64Array(k * k);
  for (let row = 0; row < actual.length; row++)
    cells[actual[row] * k + predicted[row]] += weights ? weights[row] : 1;
  return Array.from({ length: k }, (_, a) => Array.from(cells.subarray(a * k, a * k + k)));
}

export interface PerClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Precision, recall, F1 and support per class from a confusion matrix, with sklearn's
 * zero_division=0: a class never predicted has precision 0, a class never true has recall 0,
 * and F1 is 0 when both are 0.
 */
export function perClassMetrics(matrix: number[][]): PerClassMetrics[] {
  const k = matrix.length;
  return matrix.map((row, c) => {
    const truePositive = row[c];
    const support = row.reduce((sum, value) => sum + value, 0);
    let predictedCount = 0;
    for (let a = 0; a < k; a++) predictedCount += matrix[a][c];
    const precision = predictedCount ? truePositive / predictedCount : 0;
    const recall = support ? truePositive / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/**
 * Every classification metric for the weighted rows (`weights` null = each row once). Definitions
 * follow sklearn.metrics:
 * - precision/recall/f1: binary → of the positive class (classes[1], average='binary');
 *   multiclass → macro over the classes present in the true or predicted labels (sklearn's default labels).
 * - *_weighted: support-weighted mean over the same classes (binary too).
 * - balanced_accuracy: mean recall over the classes present in the true labels.
 * - roc_auc: binary on classes[1]'s probability; multiclass → one-vs-rest macro over the classes that
 *   have both positives and negatives (sklearn raises instead when a class is absent).
 * - pr_auc: average precision, binary on classes[1]; multiclass → macro one-vs-rest, as roc_auc.
 * - log_loss: probabilities clipped to [eps, 1 − eps] and renormalised per row, as sklearn 1.2.
 * - brier: binary → sklearn's brier_score_loss of classes[1]; multiclass → mean over rows of
 *   Σ_c (p_c − 1[y = c])² (Brier's original definition; sklearn 1.2 has no multiclass Brier).
 * - ece: top-label expected calibration error: rows binned by the probability of the predicted
 *   label into ECE_BINS equal-width bins (a probability of 1 falls in the last bin); Σ_b (n_b/n)·|accuracy_b − mean probability_b|.
 * Metrics that need probabilities are NaN when the model outputs none; all are NaN on zero weight.
 */
export function classificationMetrics(
  prepared: PreparedClassification,
  weights: Weights = null,
): Record<ClassificationMetricName, number> {
  const { classes, actual, predicted } = prepared.predictions;
  const k = classes.length;
  const matrix = confusionMatrix(actual, predicted, k, weights);
  const perClass = perClassMetrics(matrix);
  let total = 0;
  let correct = 0;
  const predictedCount = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    correct += matrix[a][a];
    for (let p = 0; p < k; p++) {
      total += matrix[a][p];
      predictedCount[p] += matrix[a][p];
    }
  }
  const present = perClass
    .map((metrics, c) => ({ ...metrics, c }))
    .filter(({ support, c }) => support > 0 || predictedCount[c] > 0);
  const supported = perClass.filter(({ support }) => support > 0);
  const mean = (values: number[]) =>
    values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
  const weighted = (pick: (m: PerClassMetrics) => number) =>
    total ? present.reduce((sum, m) => sum + pick(m) * m.support, 0) / total : Number.NaN;
  const binary = k === 2;
  const headline = binary
    ? perClass[1]
    : {
        precision: mean(present.map((m) => m.precision)),
        recall: mean(present.map((m) => m.recall)),
        f1: mean(present.map((m) => m.f1)),
      };

  return {
    accuracy: total ? correct / total : Number.NaN,
    balanced_accuracy: mean(supported.map((m) => m.recall)),
    precision: total ? headline.precision : Number.NaN,
    recall: total ? headline.recall : Number.NaN,
    f1: total ? headline.f1 : Number.NaN,
    precision_weighted: weighted((m) => m.precision),
    recall_weighted: weighted((m) => m.recall),
    f1_weighted: weighted((m) => m.f1),
    roc_auc: meanDefined(prepared.rankedClasses.map((c) => rocAuc(c.order, c.scores, c.positive, weights))),
    pr_auc: meanDefined(
      prepared.rankedClasses.map((c) => averagePrecision(c.order, c.scores, c.positive, weights)),
    ),
    log_loss: weightedMean(prepared.logLossTerms, weights),
    brier: weightedMean(prepared.brierTerms, weights),
    ece: expectedCalibrationError(prepared, weights),
  };
}

function meanDefined(values: number[]): number {
  const defined = values.filter((value) => !Number.isNaN(value));
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : Number.NaN;
}

/** Σ w·term / Σ w; NaN without terms or weight. */
export function weightedMean(terms: Float64Array | null, weights: Weights): number {
  if (!terms) return Number.NaN;
  let sum = 0;
  let total = 0;
  for (let row = 0; row < terms.length; row++) {
    const weight = weights ? weights[row] : 1;
    sum += weight * terms[row];
    total += weight;
  }
  return total ? sum / total : Number.NaN;
}

function expectedCalibrationError(prepared: PreparedClassification, weights: Weights): number {
  const { confidence, calibrationBin } = prepared;
  if (!confidence || !calibrationBin) return Number.NaN;
  const { actual, predicted } = prepared.predictions;
  const gap = new Float64Array(ECE_BINS);
  let total = 0;
  for (let row = 0; row < confidence.length; row++) {
    const weight = weights ? weights[row] : 1;
    gap[calibrationBin[row]] += weight * ((actual[row] === predicted[row] ? 1 : 0) - confidence[row]);
    total += weight;
  }
  if (!total) return Number.NaN;
  return gap.reduce((sum, value) => sum + Math.abs(value), 0) / total;
}
