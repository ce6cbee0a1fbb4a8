import {
  bootstrapPValue,
  bootstrapReplicates,
  pairedBootstrapRocAuc,
  percentileInterval,
  quantile,
} from '../../src/core/evaluate/bootstrap.js';
import { BootstrapRandom, drawResampleCounts } from '../../src/core/evaluate/random.js';
import { argsortAscending, rocAuc } from '../../src/core/evaluate/ranking.js';
import { delongPairedTest } from '../../src/core/evaluate/delong.js';

function syntheticScores(n: number, seed: number, separation: number) {
  const random = new BootstrapRandom(seed);
  const uniform = () => random.nextUint32() / 4294967296;
  const labels = Array.from({ length: n }, () => (uniform() < 0.4 ? 1 : 0));
  const noise = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const scoresA = labels.map((label) => label * separation + noise());
  const scoresB = labels.map((label) => label * separation * 0.6 + noise());
  return { labels, scoresA, scoresB };
}

describe('bootstrap by counts', () => {
  test('a resample is n draws: counts sum to n, and the same seed gives the same counts', () => {
    const a = drawResampleCounts(new BootstrapRandom(5), 1000, new Uint32Array(1000));
    const b = drawResampleCounts(new BootstrapRandom(5), 1000, new Uint32Array(1000));
    const c = drawResampleCounts(new BootstrapRandom(6), 1000, new Uint32Array(1000));
    expect(a.reduce((sum, count) => sum + count, 0)).toBe(1000);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  test('weighting rows by counts equals the metric on the rows repeated', () => {
    const { labels, scoresA } = syntheticScores(300, 1, 1);
    const counts = drawResampleCounts(new BootstrapRandom(9), 300, new Uint32Array(300));
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
    const statistic = (counts: Uint32Array) => [counts[0], counts[1]];
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
