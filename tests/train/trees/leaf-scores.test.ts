import { addLeafValues } from '../../../src/core/train/trees/leaf-scores.js';

describe('addLeafValues', () => {
  test('adds each leaf value to the raw score of the rows in its range, for one output of several', () => {
    const order = Uint32Array.of(3, 0, 4, 1, 2);
    const leaves = [
      { start: 0, end: 2, value: 0.5 },
      { start: 2, end: 5, value: -1 },
    ];
    const outputs = 2;
    const raw = new Float64Array(5 * outputs).fill(1);
    addLeafValues(raw, outputs, 1, order, leaves, new Uint16Array(5));
    // Rows 3 and 0 are in the first leaf, rows 4, 1, 2 in the second; output 0 is untouched.
    expect(Array.from(raw)).toEqual([1, 1.5, 1, 0, 1, 0, 1, 1.5, 1, 0]);
  });
});
