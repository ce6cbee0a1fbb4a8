import { pairedResult } from './bootstrap.js';
import { delongPairedTest } from './delong.js';
import { mcnemarExactTest } from './mcnemar.js';
import type { MeasuredModels } from './metric-set.js';
import type { PairedTestResult } from './paired-test.js';

/** What the exact paired tests need besides the bootstrap replicates (classification only). */
export interface PairedRows {
  actual: Int32Array;
  predictedA: Int32Array;
  predictedB: Int32Array;
  /** Binary: positive-class scores of each model, for DeLong. */
  positiveScoresA: Float64Array | null;
  positiveScoresB: Float64Array | null;
}

/**
 * Paired deltas, model `a` minus model `b`, for every metric defined for both: the paired bootstrap
 * (percentile interval of the per-resample differences, two-sided bootstrap p-value) by default;
 * McNemar's exact test gives accuracy's p-value (its interval stays the bootstrap's); DeLong gives
 * binary ROC AUC's interval and p-value.
 */
export function pairedDeltas(
  measured: MeasuredModels,
  a: number,
  b: number,
  rows: PairedRows | null,
): Record<string, PairedTestResult> {
  const deltas: Record<string, PairedTestResult> = {};
  measured.names[a].forEach((name, index) => {
    const delta = measured.values[a][index] - measured.values[b][index];
    if (Number.isNaN(delta)) return;
    const replicatesA = measured.replicates[a][index];
    const replicatesB = measured.replicates[b][index];
    const differences = replicatesA.map((value, r) => value - replicatesB[r]);
    let result = pairedResult(delta, differences);
    if (rows && name === 'accuracy') {
      const correct = (predicted: Int32Array) =>
        Uint8Array.from(predicted, (label, row) => (label === rows.actual[row] ? 1 : 0));
      result = {
        ...result,
        pValue: mcnemarExactTest(correct(rows.predictedA), correct(rows.predictedB)).pValue,
        test: 'mcnemar',
      };
    }
    if (rows?.positiveScoresA && rows.positiveScoresB && name === 'roc_auc') {
      const labels = Uint8Array.from(rows.actual, (label) => (label === 1 ? 1 : 0));
      const delong = delongPairedTest(labels, rows.positiveScoresA, rows.positiveScoresB);
      if (delong.pValue !== null) result = delong;
    }
    deltas[name] = result;
  });
  return deltas;
}
