import { HistogramTreeGrower } from '../../../src/core/train/trees/histogram-tree.js';

/** A grower over `rows` rows of one two-bin feature. */
function smallGrower(rows: number, outputs: number, shared: boolean): HistogramTreeGrower {
  const x = {
    rows,
    cols: 1,
    bins: Uint8Array.from({ length: rows }, (_, i) => i % 2),
    binCounts: Int32Array.of(2),
  };
  return new HistogramTreeGrower(x, { thresholds: [Float32Array.of(0.5)] }, outputs, 'unneeded', shared, 2);
}

describe('addLeafValues', () => {
  test.each([false, true])(
    'adds each leaf value to the raw score of the rows in its range, for one output of several (helper thread: %s)',
    async (shared) => {
      const grower = smallGrower(5, 2, shared);
      await grower.startHelper();
      try {
        grower.rows.set([3, 0, 4, 1, 2]);
        grower.scores.fill(1);
        const leaves = [
          { start: 0, end: 2, value: 0.5 },
          { start: 2, end: 5, value: -1 },
        ];
        grower.addLeafValues(1, leaves);
        // Rows 3 and 0 are in the first leaf, rows 4, 1, 2 in the second; output 0 is untouched.
        expect(Array.from(grower.scores)).toEqual([1, 1.5, 1, 0, 1, 0, 1, 1.5, 1, 0]);
      } finally {
        await grower.close();
      }
    },
  );

  test.each([false, true])(
    'with logistic gradients, gives the scores and gradients of the two passes, bit for bit (helper thread: %s)',
    async (shared) => {
      const leaves = [
        { start: 0, end: 3, value: 0.25 },
        { start: 3, end: 4, value: -0.75 },
        { start: 4, end: 7, value: 1.5 },
      ];
      const run = async (fused: boolean) => {
        const grower = smallGrower(7, 1, shared);
        await grower.startHelper();
        try {
          grower.rows.set([6, 2, 0, 5, 1, 3, 4]);
          grower.scores.set([0.3, -1.2, 2.5, 0, -0.4, 1.1, -2.2]);
          grower.targets.set([1, 0, 1, 1, 0, 0, 1]);
          grower.addLeafValues(0, leaves, fused);
          if (!fused) grower.logisticGradients();
          return { scores: Array.from(grower.scores), gradients: Array.from(grower.gradientBuffers()[0]) };
        } finally {
          await grower.close();
        }
      };
      const fused = await run(true);
      expect(fused).toEqual(await run(false));
      expect(fused.scores[0]).toBe(0.3 + 0.25);
    },
  );
});
