import type { BinnedMatrix } from '../../../src/core/train/trees/binning.js';
import { bundleExclusiveFeatures } from '../../../src/core/train/trees/feature-bundles.js';

/** Columns: a numeric feature (3 bins), one-hot a, b (never hot together), c (hot together with a on row 0). */
const ROWS = [
  [2, 1, 0, 1],
  [0, 0, 1, 0],
  [1, 0, 0, 1],
  [2, 0, 0, 0],
];
const binned: BinnedMatrix = {
  rows: ROWS.length,
  cols: 4,
  bins: Uint8Array.from(ROWS.flat()),
  binCounts: Int32Array.of(3, 2, 2, 2),
};

describe('exclusive feature bundles', () => {
  test('one-hot columns that are never hot together share a storage column; a conflicting one starts another', () => {
    const bundles = bundleExclusiveFeatures(binned);
    expect(Array.from(bundles.storageOf)).toEqual([0, 1, 1, 2]);
    expect(Array.from(bundles.bundleBinOf)).toEqual([-1, 1, 2, 1]);
    expect(Array.from(bundles.binCounts)).toEqual([3, 3, 2]);
    // Row by row: the numeric bin, then which member of each bundle is hot (0: none).
    expect(Array.from(bundles.bins)).toEqual([2, 1, 1, 0, 2, 0, 1, 0, 1, 2, 0, 0]);
  });
});
