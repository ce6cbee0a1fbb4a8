import type { BinnedMatrix } from './binning.js';

/** Most members a bundle can take: bin 0 means "none of them", bins 1..254 one member each. */
const MAX_BUNDLE_MEMBERS = 254;

/**
 * Histogram storage in which mutually exclusive two-bin features (one-hot columns) share one
 * column, as LightGBM's exclusive feature bundling: in a bundle, bin 0 means no member is in its
 * upper bin and bin s means member s is. A histogram pass then costs one update per bundle
 * instead of one per one-hot column; a member's own histogram is recovered exactly (upper bin =
 * the bundle's bin s, lower bin = node total − that).
 */
export interface FeatureBundles {
  /** Storage columns per row. */
  cols: number;
  /** Row-major storage bins. */
  bins: Uint8Array;
  /** Bins per storage column. */
  binCounts: Int32Array;
  /** Storage column of each feature. */
  storageOf: Int32Array;
  /** For a bundle member, its bin in the bundle's column; -1 for a feature stored alone. */
  bundleBinOf: Int32Array;
}

/** Two-bin features that are never in their upper bin on the same row go into shared columns (greedy, in feature order). */
export function bundleExclusiveFeatures(x: BinnedMatrix): FeatureBundles {
  const { rows, cols } = x;
  const storageOf = new Int32Array(cols);
  const bundleBinOf = new Int32Array(cols).fill(-1);
  const bundles: { members: number[]; occupied: Uint8Array }[] = [];
  const storageColumns: ({ feature: number } | { bundle: number })[] = [];
  for (let feature = 0; feature < cols; feature++) {
    if (x.binCounts[feature] !== 2) {
      storageOf[feature] = storageColumns.length;
      storageColumns.push({ feature });
      continue;
    }
    let bundle = bundles.findIndex(
      (candidate) =>
        candidate.members.length < MAX_BUNDLE_MEMBERS && !conflicts(x, feature, candidate.occupied),
    );
    if (bundle < 0) {
      bundle = bundles.length;
      bundles.push({ members: [], occupied: new Uint8Array(rows) });
      storageColumns.push({ bundle });
    }
    const { members, occupied } = bundles[bundle];
    members.push(feature);
    for (let row = 0; row < rows; row++) if (x.bins[row * cols + feature] === 1) occupied[row] = 1;
    bundleBinOf[feature] = members.length;
    storageOf[feature] = storageColumns.findIndex((column) => 'bundle' in column && column.bundle === bundle);
  }
  const storageCols = storageColumns.length;
  const bins = new Uint8Array(rows * storageCols);
  const binCounts = Int32Array.from(storageColumns, (column) =>
    'feature' in column ? x.binCounts[column.feature] : bundles[column.bundle].members.length + 1,
  );
  // Row by row: both matrices are row-major, so this reads and writes them in order.
  for (let row = 0, from = 0, to = 0; row < rows; row++, from += cols, to += storageCols)
    for (let feature = 0; feature < cols; feature++) {
      const bin = x.bins[from + feature];
      const bundleBin = bundleBinOf[feature];
      if (bundleBin < 0) bins[to + storageOf[feature]] = bin;
      else if (bin === 1) bins[to + storageOf[feature]] = bundleBin;
    }
  return { cols: storageCols, bins, binCounts, storageOf, bundleBinOf };
}

function conflicts(x: BinnedMatrix, feature: number, occupied: Uint8Array): boolean {
  for (let row = 0; row < x.rows; row++)
    if (occupied[row] && x.bins[row * x.cols + feature] === 1) return true;
  return false;
}
