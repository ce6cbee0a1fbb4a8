/**
 * Row indices sorting float64 scores, by an LSD radix sort on the scores' bits: a million rows in
 * tens of milliseconds, where `Uint32Array.sort` with a comparator closure took 0.4 s (measured).
 * Stable: equal scores keep row order. -0 and +0 are adjacent (callers compare with `===`).
 */
export function argsortScores(scores: ArrayLike<number>, direction: 'ascending' | 'descending'): Uint32Array {
  const n = scores.length;
  const bits = new Uint32Array(Float64Array.from(scores).buffer);
  // Sortable keys, high and low 32-bit words: flip the sign bit of non-negative numbers and every
  // bit of negative ones, so unsigned order is numeric order; descending flips every bit again.
  let high = new Uint32Array(n);
  let low = new Uint32Array(n);
  let order = new Uint32Array(n);
  const invert = direction === 'descending' ? 0xffffffff : 0;
  for (let i = 0; i < n; i++) {
    const hi = bits[2 * i + 1];
    const negative = hi >>> 31;
    high[i] = (negative ? ~hi : hi ^ 0x80000000) ^ invert;
    low[i] = (negative ? ~bits[2 * i] : bits[2 * i]) ^ invert;
    order[i] = i;
  }
  let nextHigh = new Uint32Array(n);
  let nextLow = new Uint32Array(n);
  let nextOrder = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  // Four passes of 16 bits, least significant first; a pass where every key shares the digit is skipped.
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? low : high;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((word[i] >>> shift) & 0xffff) + 1]++;
    if (counts.some((count) => count === n)) continue;
    for (let digit = 0; digit < 65536; digit++) counts[digit + 1] += counts[digit];
    for (let i = 0; i < n; i++) {
      const at = counts[(word[i] >>> shift) & 0xffff]++;
      nextHigh[at] = high[i];
      nextLow[at] = low[i];
      nextOrder[at] = order[i];
    }
    [high, nextHigh] = [nextHigh, high];
    [low, nextLow] = [nextLow, low];
    [order, nextOrder] = [nextOrder, order];
  }
  return order;
}
