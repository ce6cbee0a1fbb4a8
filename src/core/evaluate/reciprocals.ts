/**
 * 1/m for integers m, shared by every ranking pass: average precision divides by the weight seen
 * so far at every rank, and a table read is cheaper than a division (measured 0.7 ns a row).
 * Grown on demand, never shrunk; entry 0 is 0.
 */
let table = new Float64Array(1);

/** A table holding 1/m for every m ≤ `largest` (at least). */
export function reciprocalsUpTo(largest: number): Float64Array {
  if (table.length > largest) return table;
  const grown = new Float64Array(Math.max(largest + 1, table.length * 2));
  for (let m = 1; m < grown.length; m++) grown[m] = 1 / m;
  table = grown;
  return table;
}
