import type { LeafRange } from './histogram-tree.js';

/**
 * Adds a grown tree's leaf values to output k of the raw scores of every row the tree was grown
 * on. `order` is the grower's row order (each leaf owns a range of it, and together they cover
 * every row). The leaf index is scattered into the small `leafOf` (two bytes per row, mostly
 * cache-resident) and raw is then walked in row order, instead of adding into raw in leaf order,
 * whose 8-byte writes jump across the whole score array (on 800k rows × 100 trees this pass
 * dropped out of the top of the profile: 0.4 s).
 */
export function addLeafValues(
  raw: Float64Array,
  outputs: number,
  k: number,
  order: Uint32Array,
  leaves: LeafRange[],
  leafOf: Uint16Array,
): void {
  if (leaves.length > 0xffff) {
    for (const leaf of leaves)
      for (let i = leaf.start; i < leaf.end; i++) raw[order[i] * outputs + k] += leaf.value;
    return;
  }
  const values = new Float64Array(leaves.length);
  for (let leaf = 0; leaf < leaves.length; leaf++) {
    const { start, end, value } = leaves[leaf];
    values[leaf] = value;
    for (let i = start; i < end; i++) leafOf[order[i]] = leaf;
  }
  for (let row = 0, at = k; row < order.length; row++, at += outputs) raw[at] += values[leafOf[row]];
}
