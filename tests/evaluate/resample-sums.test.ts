import { classificationMetrics } from '../../src/core/evaluate/classification-metrics.js';
import {
  prepareClassification,
  type ClassificationPredictions,
} from '../../src/core/evaluate/classification-rows.js';
import { measureModels } from '../../src/core/evaluate/metric-set.js';
import { drawPoissonWeights, SeededRandom } from '../../src/core/evaluate/random.js';
import { prepareRegression, regressionMetrics } from '../../src/core/evaluate/regression-metrics.js';

/** Weighting rows by counts must equal the metric on the rows repeated that many times. */
function repeatRows<T extends Int32Array | Float64Array>(values: T, counts: Uint8Array, width = 1): T {
  const out: number[] = [];
  counts.forEach((count, row) => {
    for (let i = 0; i < count; i++) out.push(...values.subarray(row * width, row * width + width));
  });
  return (values instanceof Int32Array ? Int32Array.from(out) : Float64Array.from(out)) as T;
}

function syntheticClassifier(n: number, k: number, seed: number): ClassificationPredictions {
  const random = new SeededRandom(seed);
  const uniform = () => random.nextUint32() / 4294967296;
  const actual = Int32Array.from({ length: n }, () => Math.floor(uniform() * k));
  const probabilities = new Float64Array(n * k);
  const predicted = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    let total = 0;
    for (let c = 0; c < k; c++) {
      // Scores rounded to 1/20 so that ties are common; the true class gets a head start.
      const score = Math.round((uniform() + (c === actual[row] ? 0.6 : 0)) * 20) / 20 + 0.01;
      probabilities[row * k + c] = score;
      total += score;
    }
    let best = 0;
    for (let c = 0; c < k; c++) {
      probabilities[row * k + c] /= total;
      if (probabilities[row * k + c] > probabilities[row * k + best]) best = c;
    }
    predicted[row] = uniform() < 0.9 ? best : Math.floor(uniform() * k);
  }
  return { classes: Array.from({ length: k }, (_, c) => `c${c}`), actual, predicted, probabilities };
}

describe('metrics from weighted sums equal the metrics of the rows repeated', () => {
  test.each([2, 4])('classification with %i classes (ties, mispredictions, zero weights)', (k) => {
    const predictions = syntheticClassifier(400, k, k);
    const counts = drawPoissonWeights(3, 0, new Uint8Array(400));
    const weighted = classificationMetrics(prepareClassification(predictions), counts);
    const repeated = classificationMetrics(
      prepareClassification({
        classes: predictions.classes,
        actual: repeatRows(predictions.actual, counts),
        predicted: repeatRows(predictions.predicted, counts),
        probabilities: repeatRows(predictions.probabilities!, counts, k),
      }),
    );
    for (const [name, value] of Object.entries(repeated))
      expect(weighted[name as keyof typeof weighted]).toBeCloseTo(value, 12);
  });

  test('regression, including the weighted median', () => {
    const random = new SeededRandom(8);
    const actual = Float64Array.from({ length: 301 }, () => (random.nextUint32() % 1000) / 10 - 30);
    const predicted = actual.map((value) => value + ((random.nextUint32() % 200) - 100) / 25);
    const counts = drawPoissonWeights(4, 2, new Uint8Array(301));
    const weighted = regressionMetrics(prepareRegression({ actual, predicted }), counts);
    const repeated = regressionMetrics(
      prepareRegression({ actual: repeatRows(actual, counts), predicted: repeatRows(predicted, counts) }),
    );
    for (const [name, value] of Object.entries(repeated)) {
      // Relative: MAPE divides by |y| floored at eps, so a true value of 0 makes it enormous.
      const difference = Math.abs(weighted[name as keyof typeof weighted] - value);
      expect(difference).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(value)));
    }
  });

  test('a resample that keeps only equal true values has r2 0 (or 1 if exact), not a huge negative', () => {
    const prepared = prepareRegression({
      actual: Float64Array.from([0.1, 0.1, 0.1, 7]),
      predicted: Float64Array.from([0.1, 0.2, 0.1, 7]),
    });
    expect(regressionMetrics(prepared, Uint8Array.from([3, 2, 1, 0])).r2).toBe(0);
    expect(regressionMetrics(prepared, Uint8Array.from([3, 0, 1, 0])).r2).toBe(1);
  });
});

describe('measurements share their resamples', () => {
  test('a slice measured with the full rows has the replicates of that slice weighted alike', async () => {
    const predictions = syntheticClassifier(300, 2, 9);
    const slice = Int32Array.from({ length: 150 }, (_, i) => i * 2);
    const sliceModel = prepareClassification({
      classes: predictions.classes,
      actual: Int32Array.from(slice, (row) => predictions.actual[row]),
      predicted: Int32Array.from(slice, (row) => predictions.predicted[row]),
      probabilities: Float64Array.from(
        { length: 300 },
        (_, i) => predictions.probabilities![slice[i >> 1] * 2 + (i & 1)],
      ),
    });
    const full = prepareClassification(predictions);
    const settings = { resamples: 20, seed: 4 };
    const measured = await measureModels(
      [
        { model: { task: 'classification', prepared: full } },
        { model: { task: 'classification', prepared: sliceModel }, rows: slice },
      ],
      settings,
    );
    // Resample r's weights are indexed by the first measurement's pass order.
    const rowWeight = new Uint8Array(300);
    for (let r = 0; r < settings.resamples; r++) {
      const weights = drawPoissonWeights(settings.seed, r, new Uint8Array(300));
      full.order.forEach((row, at) => (rowWeight[row] = weights[at]));
      const expected = classificationMetrics(
        sliceModel,
        Uint8Array.from(slice, (row) => rowWeight[row]),
      );
      expect(measured.replicates[1][measured.names[1].indexOf('roc_auc')][r]).toBeCloseTo(
        expected.roc_auc,
        12,
      );
      expect(measured.replicates[1][0][r]).toBeCloseTo(expected.accuracy, 12);
    }
  });
});
