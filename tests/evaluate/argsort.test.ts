import { argsortScores } from '../../src/core/evaluate/argsort.js';
import { SeededRandom } from '../../src/core/evaluate/random.js';

describe('radix argsort of float64 scores', () => {
  test('equals a stable comparator sort, both directions (negatives, ties, infinities, tiny and huge values)', () => {
    const random = new SeededRandom(12);
    const special = [0, 1, -1, 0.5, 1e-300, -1e-300, 1e300, -1e300, Infinity, -Infinity, 5e-324];
    const scores = Float64Array.from({ length: 5000 }, (_, i) =>
      i % 7 === 0
        ? special[random.nextUint32() % special.length]
        : ((random.nextUint32() % 200) - 100) / 8 + (i % 3 === 0 ? random.nextUint32() / 2 ** 40 : 0),
    );
    const rows = Array.from(scores, (_, row) => row);
    const ascending = [...rows].sort((a, b) => scores[a] - scores[b] || a - b);
    const descending = [...rows].sort((a, b) => scores[b] - scores[a] || a - b);
    expect(Array.from(argsortScores(scores, 'ascending'))).toEqual(ascending);
    expect(Array.from(argsortScores(scores, 'descending'))).toEqual(descending);
  });

  test('all equal scores keep row order; empty input gives an empty order', () => {
    expect(Array.from(argsortScores([2, 2, 2], 'descending'))).toEqual([0, 1, 2]);
    expect(argsortScores([], 'ascending')).toHaveLength(0);
  });
});
