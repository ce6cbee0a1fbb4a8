import { calibrationBin, ECE_BINS, type PreparedClassification } from './classification-rows.js';
import { precisionRecallCurve, rocCurve } from './ranking.js';

/** Curves keep at most this many points in metrics.json and the reports. */
export const MAX_CURVE_POINTS = 201;

export interface CalibrationBin {
  low: number;
  high: number;
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
}

export interface Curves {
  /** Binary only: (false positive rate, true positive rate) of the positive class. */
  roc: { fpr: number; tpr: number }[] | null;
  /** Binary only: (recall, precision) of the positive class. */
  pr: { recall: number; precision: number }[] | null;
  /** The ECE bins: predicted label's probability against how often that label was right. */
  calibration: CalibrationBin[] | null;
}

export function classificationCurves(prepared: PreparedClassification): Curves {
  const binary = prepared.predictions.classes.length === 2 ? prepared.rankings[0]?.ranked : undefined;
  return {
    roc: binary ? rocCurve(binary, MAX_CURVE_POINTS).map(({ x, y }) => ({ fpr: x, tpr: y })) : null,
    pr: binary
      ? precisionRecallCurve(binary, MAX_CURVE_POINTS).map(({ x, y }) => ({
          recall: x,
          precision: y,
        }))
      : null,
    calibration: calibrationBins(prepared),
  };
}

function calibrationBins(prepared: PreparedClassification): CalibrationBin[] | null {
  const { actual, predicted, probabilities, classes } = prepared.predictions;
  if (!probabilities) return null;
  const count = new Float64Array(ECE_BINS);
  const sumConfidence = new Float64Array(ECE_BINS);
  const correct = new Float64Array(ECE_BINS);
  for (let row = 0; row < actual.length; row++) {
    const confidence = probabilities[row * classes.length + predicted[row]];
    const bin = calibrationBin(confidence);
    count[bin]++;
    sumConfidence[bin] += confidence;
    if (actual[row] === predicted[row]) correct[bin]++;
  }
  return Array.from(count, (n, bin) => ({
    low: bin / ECE_BINS,
    high: (bin + 1) / ECE_BINS,
    count: n,
    meanConfidence: n ? sumConfidence[bin] / n : null,
    accuracy: n ? correct[bin] / n : null,
  }));
}
