import { BinaryPassHelper, helperWorthwhile } from '../../src/core/evaluate/bootstrap-helper.js';
import { classificationMetrics } from '../../src/core/evaluate/classification-metrics.js';
import { measureModels } from '../../src/core/evaluate/metric-set.js';
import { prepareClassification } from '../../src/core/evaluate/classification-rows.js';
import {
  accumulateClassification,
  binaryPass,
  classificationSums,
} from '../../src/core/evaluate/classification-sums.js';
import { drawPoissonWeights, resampleStreams, SeededRandom } from '../../src/core/evaluate/random.js';

function tiedBinary(n: number) {
  const random = new SeededRandom(21);
  const actual = new Int32Array(n);
  const predicted = new Int32Array(n);
  const probabilities = new Float64Array(2 * n);
  for (let row = 0; row < n; row++) {
    // Scores on a 1/500 grid: many ties; labels loosely follow the score.
    const p = (random.nextUint32() % 501) / 500;
    actual[row] = random.nextUint32() / 4294967296 < p ? 1 : 0;
    predicted[row] = p >= 0.5 ? 1 : 0;
    probabilities[2 * row] = 1 - p;
    probabilities[2 * row + 1] = p;
  }
  return prepareClassification({ classes: ['no', 'yes'], actual, predicted, probabilities });
}

describe('the bootstrap helper thread', () => {
  test('its sums are bit-identical to the main thread’s for the same resamples', async () => {
    const n = 20_001; // odd: the last row's weight takes the odd path
    const prepared = tiedBinary(n);
    const pass = binaryPass(prepared)!;
    const helper = new BinaryPassHelper(pass, 99, 6);
    // The main thread claims the first two resamples; the helper takes the rest, from the last down.
    expect([helper.claim(0), helper.claim(1)]).toEqual([true, true]);
    await helper.finished;
    expect(helper.claim(2)).toBe(false);
    expect(helper.sums(0)).toBeNull();
    for (let r = 2; r < 6; r++) {
      const weights = drawPoissonWeights(99, r, new Uint8Array(n));
      const expected = accumulateClassification(prepared, weights, classificationSums(prepared));
      expect(Array.from(helper.sums(r)!)).toEqual(Array.from(expected));
    }
  });

  test('a pass that draws its weights block by block sums exactly what drawing them first gives', () => {
    const n = 40_001; // more than two blocks, odd
    const prepared = tiedBinary(n);
    const drawn = new Uint8Array(n);
    const fused = accumulateClassification(
      prepared,
      drawn,
      classificationSums(prepared),
      resampleStreams(7, 2),
    );
    const weights = drawPoissonWeights(7, 2, new Uint8Array(n));
    expect(drawn).toEqual(weights);
    expect(Array.from(fused)).toEqual(
      Array.from(accumulateClassification(prepared, weights, classificationSums(prepared))),
    );
  });

  test('measureModels shares the resamples with it, with the same results', async () => {
    const n = 20_000;
    const prepared = tiedBinary(n);
    const settings = { resamples: 1000, seed: 5 };
    expect(helperWorthwhile(n, settings.resamples)).toBe(true);
    const measured = await measureModels([{ model: { task: 'classification', prepared } }], settings);
    for (const r of [0, 1, 500, 998, 999]) {
      const weights = drawPoissonWeights(settings.seed, r, new Uint8Array(n));
      const counts = new Uint8Array(n);
      prepared.order.forEach((row, at) => (counts[row] = weights[at]));
      const expected = classificationMetrics(prepared, counts);
      measured.names[0].forEach((name, metric) =>
        expect(measured.replicates[0][metric][r]).toBe(expected[name as keyof typeof expected]),
      );
    }
  });

  test('only a binary classifier with probabilities has a single pass to hand over', () => {
    const labels = Int32Array.from([0, 1, 2, 1]);
    expect(
      binaryPass(
        prepareClassification({
          classes: ['a', 'b', 'c'],
          actual: labels,
          predicted: labels,
          probabilities: null,
        }),
      ),
    ).toBeNull();
  });
});
