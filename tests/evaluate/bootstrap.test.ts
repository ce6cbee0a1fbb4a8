import {
  bootstrapPValue,
  bootstrapReplicates,
  pairedBootstrapRocAuc,
  percentileInterval,
  quantile,
} from '../../src/core/evaluate/bootstrap.js';
import {
  drawPoissonRows,
  drawPoissonWeights,
  resampleStreams,
  SeededRandom,
} from '../../src/core/evaluate/random.js';
import { argsortAscending, rocAuc } from '../../src/core/evaluate/ranking.js';
import { delongPairedTest } from '../../src/core/evaluate/delong.js';

function syntheticScores(n: number, seed: number, separation: number) {
  const random = new SeededRandom(seed);
  const uniform = () => random.nextUint32() / 4294967296;
  const labels = Array.from({ length: n }, () => (uniform() < 0.4 ? 1 : 0));
  const noise = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const scoresA = labels.map((label) => label * separation + noise());
  const scoresB = labels.map((label) => label * separation * 0.6 + noise());
  return { labels, scoresA, scoresB };
}

describe('bootstrap by Poisson weights', () => {
  test('a resample is Poisson(1) weights per row, fixed by (seed, resample)', () => {
    const n = 200_000;
    const a = drawPoissonWeights(5, 0, new Uint8Array(n));
    expect(drawPoissonWeights(5, 0, new Uint8Array(n))).toEqual(a);
    expect(drawPoissonWeights(5, 1, new Uint8Array(n))).not.toEqual(a);
    expect(drawPoissonWeights(6, 0, new Uint8Array(n))).not.toEqual(a);
    const frequency = new Float64Array(8);
    let sum = 0;
    let squares = 0;
    for (const weight of a) {
      frequency[Math.min(weight, 7)] += 1 / n;
      sum += weight;
      squares += weight * weight;
    }
    const mean = sum / n;
    // Poisson(1): mean 1, variance 1, P(k) = e⁻¹/k! (4 standard errors at n = 200,000).
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - mean * mean - 1)).toBeLessThan(0.015);
    [0, 1, 2, 3, 4].forEach((k) => {
      const expected = Math.exp(-1) / [1, 1, 2, 6, 24][k];
      expect(Math.abs(frequency[k] - expected)).toBeLessThan(4 * Math.sqrt(expected / n));
    });
  });

  test('each weight inverts the Poisson CDF at a 32-bit uniform: a 16-bit half of a draw, 16 more bits when it straddles a step', () => {
    const steps: number[] = [];
    for (let k = 0, mass = Math.exp(-1), cumulative = 0; k < 12; mass /= ++k) {
      cumulative += mass;
      steps.push(cumulative * 2 ** 32);
    }
    const inverse = (uniform32: number) => steps.filter((step) => uniform32 >= step).length;
    const [seed, resample, n] = [4, 3, 200_001];
    const draws = new SeededRandom(seed, 2 * resample + 1);
    const extra = new SeededRandom(seed, 2 * resample + 2);
    const countOf = (half: number) => {
      const lowest = inverse(half * 65536);
      return lowest === inverse(half * 65536 + 65535)
        ? lowest
        : inverse(half * 65536 + (extra.nextUint32() >>> 16));
    };
    const expected = new Uint8Array(n);
    for (let row = 0; row + 1 < n; row += 2) {
      const draw = draws.nextUint32();
      expected[row] = countOf(draw >>> 16);
      expected[row + 1] = countOf(draw & 0xffff);
    }
    expected[n - 1] = countOf(extra.nextUint32() >>> 16);
    expect(drawPoissonWeights(seed, resample, new Uint8Array(n))).toEqual(expected);
  });

  test('drawing a resample block by block gives the same weights as drawing it whole', () => {
    // Odd length: the last row takes the odd path; about 36 pairs straddle a CDF step, inside blocks.
    const n = 200_001;
    const whole = drawPoissonWeights(4, 3, new Uint8Array(n));
    const streams = resampleStreams(4, 3);
    const byBlocks = new Uint8Array(n);
    for (const [start, end] of [
      [0, 2],
      [2, 65_536],
      [65_536, 131_072],
      [131_072, n],
    ])
      drawPoissonRows(byBlocks, start, end, streams);
    expect(byBlocks).toEqual(whole);
  });

  test('weighting rows by counts equals the metric on the rows repeated', () => {
    const { labels, scoresA } = syntheticScores(300, 1, 1);
    const counts = drawPoissonWeights(9, 0, new Uint8Array(300));
    const repeatedLabels: number[] = [];
    const repeatedScores: number[] = [];
    counts.forEach((count, row) => {
      for (let i = 0; i < count; i++) {
        repeatedLabels.push(labels[row]);
        repeatedScores.push(scoresA[row]);
      }
    });
    const weighted = rocAuc(argsortAscending(scoresA), scoresA, labels, counts);
    const repeated = rocAuc(argsortAscending(repeatedScores), repeatedScores, repeatedLabels);
    expect(weighted).toBeCloseTo(repeated, 12);
  });

  test('quantile interpolates linearly like numpy and skips NaN', () => {
    expect(quantile([4, 1, Number.NaN, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.025)).toBeCloseTo(1.1, 12);
    expect(percentileInterval([Number.NaN, Number.NaN, 1])).toBeNull();
  });

  test('p-value: all replicates on one side gives 2/(R+1); symmetric replicates give 1', () => {
    expect(bootstrapPValue([0.1, 0.2, 0.3])).toBeCloseTo(0.5, 12);
    expect(bootstrapPValue([-1, 1, -2, 2])).toBe(1);
  });

  test('replicates are deterministic for a seed', () => {
    const statistic = (weights: Uint8Array) => [weights[0], weights[1]];
    const first = bootstrapReplicates(10, statistic, 2, { resamples: 50, seed: 3 });
    expect(bootstrapReplicates(10, statistic, 2, { resamples: 50, seed: 3 })).toEqual(first);
  });
});

describe('paired ROC AUC comparisons', () => {
  test('a model against itself: delta 0, interval [0, 0], p 1 (bootstrap and DeLong)', () => {
    const { labels, scoresA } = syntheticScores(500, 2, 1);
    expect(pairedBootstrapRocAuc(labels, scoresA, scoresA, { resamples: 200, seed: 1 })).toEqual({
      delta: 0,
      interval: [0, 0],
      pValue: 1,
      test: 'paired-bootstrap',
    });
    expect(delongPairedTest(labels, scoresA, scoresA).pValue).toBe(1);
  });

  test('a clearly better model: both tests find the difference, intervals agree with each other', () => {
    const { labels, scoresA, scoresB } = syntheticScores(2000, 3, 1.5);
    const bootstrap = pairedBootstrapRocAuc(labels, scoresA, scoresB, { resamples: 400, seed: 1 });
    const delong = delongPairedTest(labels, scoresA, scoresB);
    expect(bootstrap.delta).toBeCloseTo(delong.delta, 12);
    expect(bootstrap.delta).toBeGreaterThan(0.05);
    expect(delong.pValue!).toBeLessThan(1e-6);
    expect(bootstrap.pValue!).toBeLessThan(0.01);
    expect(bootstrap.interval![0]).toBeGreaterThan(0);
    expect(Math.abs(bootstrap.interval![0] - delong.interval![0])).toBeLessThan(0.01);
    expect(Math.abs(bootstrap.interval![1] - delong.interval![1])).toBeLessThan(0.01);
  });
});
