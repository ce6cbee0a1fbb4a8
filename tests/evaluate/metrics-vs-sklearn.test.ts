import cases from '../fixtures/evaluate/metric-cases.json' with { type: 'json' };
import { classificationMetrics, confusionMatrix } from '../../src/core/evaluate/classification-metrics.js';
import { prepareClassification } from '../../src/core/evaluate/classification-rows.js';
import { prepareRegression, regressionMetrics } from '../../src/core/evaluate/regression-metrics.js';
import { delongPairedTest } from '../../src/core/evaluate/delong.js';
import { mcnemarExactTest } from '../../src/core/evaluate/mcnemar.js';
import { erfc } from '../../src/core/evaluate/normal.js';

/** Every metric equals sklearn/scipy on the same arrays to 1e-9 relative (cases from make_metric_cases.py). */
function expectClose(actual: number, expected: number, label: string): void {
  const tolerance = 1e-9 * Math.max(Math.abs(expected), 1e-300);
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${label}: got ${actual}, sklearn ${expected}`);
  }
}

describe('classification metrics equal sklearn.metrics', () => {
  test.each(cases.classification.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const k = c.classes.length;
    const predictions = {
      classes: c.classes,
      actual: Int32Array.from(c.actual),
      predicted: Int32Array.from(c.predicted),
      probabilities: Float64Array.from(c.probabilities),
    };
    const weights = c.weights ? Uint8Array.from(c.weights) : null;
    const got = classificationMetrics(prepareClassification(predictions), weights);
    for (const [name, expected] of Object.entries(c.expected)) {
      expectClose(got[name as keyof typeof got], expected, `${c.name} ${name}`);
    }
    expect(confusionMatrix(predictions.actual, predictions.predicted, k, weights)).toEqual(c.confusionMatrix);
  });

  test('metrics needing probabilities are NaN for a label-only model; label metrics still defined', () => {
    const [binary] = cases.classification;
    const got = classificationMetrics(
      prepareClassification({
        classes: binary.classes,
        actual: Int32Array.from(binary.actual),
        predicted: Int32Array.from(binary.predicted),
        probabilities: null,
      }),
    );
    expect(got.roc_auc).toBeNaN();
    expect(got.log_loss).toBeNaN();
    expectClose(got.accuracy, binary.expected.accuracy, 'accuracy');
  });
});

describe('regression metrics equal sklearn.metrics', () => {
  test.each(cases.regression.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const prepared = prepareRegression({
      actual: Float64Array.from(c.actual),
      predicted: Float64Array.from(c.predicted),
    });
    const got = regressionMetrics(prepared, c.weights ? Uint8Array.from(c.weights) : null);
    for (const [name, expected] of Object.entries(c.expected)) {
      expectClose(got[name as keyof typeof got], expected, `${c.name} ${name}`);
    }
  });

  test('r2 is 1 for exact predictions of a constant target and 0 otherwise (sklearn force_finite)', () => {
    const constant = Float64Array.from([3, 3, 3]);
    expect(regressionMetrics(prepareRegression({ actual: constant, predicted: constant })).r2).toBe(1);
    expect(
      regressionMetrics(prepareRegression({ actual: constant, predicted: Float64Array.from([3, 4, 3]) })).r2,
    ).toBe(0);
  });
});

describe('paired tests equal their references', () => {
  test.each(cases.delong.map((c, index) => [index, c] as const))('DeLong case %i', (_index, c) => {
    const got = delongPairedTest(c.labels, c.scoresA, c.scoresB);
    expectClose(got.delta, c.expected.delta, 'delta');
    expectClose(got.pValue!, c.expected.pValue, 'pValue');
    expectClose(got.interval![0], c.expected.interval[0], 'interval low');
    expectClose(got.interval![1], c.expected.interval[1], 'interval high');
  });

  test('DeLong on identical scores: delta 0, p 1; too few positives: undefined', () => {
    const labels = [0, 1, 0, 1, 1, 0];
    const scores = [0.1, 0.8, 0.3, 0.7, 0.2, 0.4];
    expect(delongPairedTest(labels, scores, scores)).toEqual({
      delta: 0,
      interval: [0, 0],
      pValue: 1,
      test: 'delong',
    });
    expect(delongPairedTest([0, 0, 1], [1, 2, 3], [3, 2, 1]).pValue).toBeNull();
  });

  test.each(cases.mcnemar.map((c, index) => [index, c] as const))(
    'McNemar case %i equals scipy binomtest',
    (_i, c) => {
      expectClose(mcnemarExactTest(c.correctA, c.correctB).pValue!, c.expected.pValue, 'pValue');
    },
  );

  test.each(cases.erfc.map((c) => [c.x, c.value] as const))(
    'erfc(%d) equals scipy.special.erfc',
    (x, value) => {
      expectClose(erfc(x), value, `erfc(${x})`);
    },
  );
});
