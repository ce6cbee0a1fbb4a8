import { ECE_BINS, type PreparedClassification } from './classification-rows.js';
import { accumulateClassification, classificationLayout, classificationSums } from './classification-sums.js';
import { averagePrecisionFromSums, RANKING_SUMS, rocAucFromSums } from './ranking.js';
import { gatherWeights, unitWeights } from './resample-weights.js';

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

/** Weighted confusion matrix: rows are the true class, columns the predicted class. */
export function confusionMatrix(
  actual: Int32Array,
  predicted: Int32Array,
  k: number,
  weights: ArrayLike<number> | null = null,
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
 * Every classification metric from the sufficient statistics of weighted rows. Definitions
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
export function classificationMetricsFromSums(
  prepared: PreparedClassification,
  sums: Float64Array,
): Record<ClassificationMetricName, number> {
  const layout = classificationLayout(prepared);
  const { k } = layout;
  const matrix = Array.from({ length: k }, (_, a) => Array.from(sums.subarray(a * k, a * k + k)));
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
  const present = perClass.filter(({ support }, c) => support > 0 || predictedCount[c] > 0);
  const supported = perClass.filter(({ support }) => support > 0);
  const mean = (values: number[]) =>
    values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
  const weighted = (pick: (m: PerClassMetrics) => number) =>
    total ? present.reduce((sum, m) => sum + pick(m) * m.support, 0) / total : Number.NaN;
  const headline =
    k === 2
      ? perClass[1]
      : {
          precision: mean(present.map((m) => m.precision)),
          recall: mean(present.map((m) => m.recall)),
          f1: mean(present.map((m) => m.f1)),
        };
  const ranking = (read: (sums: Float64Array, at: number) => number) =>
    meanDefined(prepared.rankings.map((_, index) => read(sums, layout.rankings + RANKING_SUMS * index)));
  const probabilityMetric = (value: number) => (prepared.terms && total ? value / total : Number.NaN);
  let calibrationGap = 0;
  for (let bin = 0; bin < ECE_BINS; bin++) calibrationGap += Math.abs(sums[layout.calibration + bin]);

  return {
    accuracy: total ? correct / total : Number.NaN,
    balanced_accuracy: mean(supported.map((m) => m.recall)),
    precision: total ? headline.precision : Number.NaN,
    recall: total ? headline.recall : Number.NaN,
    f1: total ? headline.f1 : Number.NaN,
    precision_weighted: weighted((m) => m.precision),
    recall_weighted: weighted((m) => m.recall),
    f1_weighted: weighted((m) => m.f1),
    roc_auc: ranking(rocAucFromSums),
    pr_auc: ranking(averagePrecisionFromSums),
    log_loss: probabilityMetric(sums[layout.logLoss]),
    brier: probabilityMetric(sums[layout.brier]),
    ece: probabilityMetric(calibrationGap),
  };
}

/** Every classification metric with each row counted `counts[row]` times (null: once). */
export function classificationMetrics(
  prepared: PreparedClassification,
  counts: Uint8Array | null = null,
): Record<ClassificationMetricName, number> {
  const { order } = prepared;
  const weights = counts
    ? gatherWeights(counts, order, new Uint8Array(order.length))
    : unitWeights(order.length);
  return classificationMetricsFromSums(
    prepared,
    accumulateClassification(prepared, weights, classificationSums(prepared)),
  );
}

function meanDefined(values: number[]): number {
  const defined = values.filter((value) => !Number.isNaN(value));
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : Number.NaN;
}
