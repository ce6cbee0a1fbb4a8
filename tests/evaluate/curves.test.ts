import { precisionRecallCurve, rankRows, rocCurve } from '../../src/core/evaluate/ranking.js';
import { SeededRandom } from '../../src/core/evaluate/random.js';

// Scores on a 1/40 grid (ties) and labels that loosely follow them.
function rankedSample(n: number) {
  const random = new SeededRandom(3);
  const scores = Float64Array.from({ length: n }, () => (random.nextUint32() % 41) / 40);
  const positive = Uint8Array.from(scores, (score) => (random.nextUint32() / 4294967296 < score ? 1 : 0));
  return { scores, positive, ranked: rankRows(scores, positive) };
}

describe('ROC and precision-recall curves', () => {
  test('one point per distinct score, computed from the rows at or above it', () => {
    const { scores, positive, ranked } = rankedSample(2000);
    const thresholds = [...new Set(scores)].sort((a, b) => b - a);
    const totalPositive = positive.reduce((sum, flag) => sum + flag, 0);
    const totalNegative = positive.length - totalPositive;
    const atOrAbove = (threshold: number) => {
      let rows = 0;
      let positives = 0;
      scores.forEach((score, row) => {
        if (score >= threshold) {
          rows++;
          positives += positive[row];
        }
      });
      return { rows, positives };
    };
    const counts = thresholds.map(atOrAbove);
    expect(rocCurve(ranked, Infinity)).toEqual([
      { x: 0, y: 0 },
      ...counts.map(({ rows, positives }) => ({
        x: (rows - positives) / totalNegative,
        y: positives / totalPositive,
      })),
    ]);
    expect(precisionRecallCurve(ranked, Infinity)).toEqual([
      { x: 0, y: 1 },
      ...counts.map(({ rows, positives }) => ({ x: positives / totalPositive, y: positives / rows })),
    ]);
  });

  test('thinned to the first, the last and evenly spaced points between', () => {
    const { ranked } = rankedSample(2000);
    for (const curve of [rocCurve, precisionRecallCurve]) {
      const all = curve(ranked, Infinity);
      const step = (all.length - 1) / 4;
      expect(curve(ranked, 5)).toEqual([0, 1, 2, 3, 4].map((i) => all[Math.round(i * step)]));
    }
  });

  test('no curve without positives (ROC also needs negatives)', () => {
    const ranked = rankRows([0.2, 0.4], [0, 0]);
    expect(rocCurve(ranked, 10)).toEqual([]);
    expect(precisionRecallCurve(ranked, 10)).toEqual([]);
    expect(rocCurve(rankRows([0.2, 0.4], [1, 1]), 10)).toEqual([]);
  });
});
