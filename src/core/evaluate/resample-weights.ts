/**
 * A resample's weights arrive in one fixed row numbering; a pass that walks rows in another order
 * (another model's ranking, a slice) first gathers them into its own order, so the pass itself
 * stays sequential.
 */
export function gatherWeights(weights: Uint8Array, positions: Uint32Array, into: Uint8Array): Uint8Array {
  for (let i = 0; i < positions.length; i++) into[i] = weights[positions[i]];
  return into;
}

/** Every row counted once: the point estimate. */
export function unitWeights(rows: number): Uint8Array {
  return new Uint8Array(rows).fill(1);
}

/**
 * A total weight a resample of n rows stays under in practice (n plus 8 standard deviations of a
 * Poisson(n) sum): tables sized by it need a fallback only beyond.
 */
export function expectedTotalWeight(rows: number): number {
  return Math.ceil(rows + 8 * Math.sqrt(rows) + 16);
}
