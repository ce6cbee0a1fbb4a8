/**
 * A seeded PRNG (Marsaglia's xorshift128, seeded through splitmix32): the same seed gives the same
 * stream on every machine. Chosen for speed (shifts and xors only; it draws a bootstrap weight per
 * row per resample); it fails only the linear-complexity tests, which no resample statistic sees.
 */
export class SeededRandom {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  /** `stream` separates independent streams of one seed (the bootstrap uses one per resample). */
  constructor(seed: number, stream = 0) {
    let state = (seed ^ Math.imul(stream, 0x9e3779b1)) >>> 0;
    const next = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) | 0;
    };
    this.x = next();
    this.y = next();
    this.z = next();
    this.w = next() | 1;
  }

  /** The four state words, for a hot loop that steps the generator in locals. */
  state(): [number, number, number, number] {
    return [this.x, this.y, this.z, this.w];
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = this.w ^ (this.w >>> 19) ^ t ^ (t >>> 8);
    return this.w >>> 0;
  }
}

/** Poisson(1) drawn by inverting its CDF at a 32-bit uniform: beyond 12 the mass is below 2^-32. */
const MAX_POISSON_COUNT = 12;

/** P(X ≤ k) · 2^32 for k = 0..MAX_POISSON_COUNT − 1. */
const POISSON_CDF_32 = (() => {
  const cdf = new Float64Array(MAX_POISSON_COUNT);
  let probability = Math.exp(-1);
  let cumulative = 0;
  for (let k = 0; k < MAX_POISSON_COUNT; k++) {
    cumulative += probability;
    cdf[k] = cumulative * 4294967296;
    probability /= k + 1;
  }
  return cdf;
})();

/** Marks a 16-bit prefix whose uniforms straddle a CDF step: 16 more bits decide. */
const STRADDLES = 255;

/** The count for each 16-bit prefix of a 32-bit uniform, so nearly every draw is one table read. */
const POISSON_BY_PREFIX = (() => {
  const table = new Uint8Array(65536);
  for (let prefix = 0; prefix < 65536; prefix++) {
    const low = poissonAt(prefix * 65536);
    table[prefix] = low === poissonAt(prefix * 65536 + 65535) ? low : STRADDLES;
  }
  return table;
})();

function poissonAt(uniform32: number): number {
  let count = 0;
  while (count < MAX_POISSON_COUNT && uniform32 >= POISSON_CDF_32[count]) count++;
  return count;
}

/** Steps the generator held in `state[at..at+4)` and returns its next 32-bit draw. */
function nextUint32At(state: Int32Array, at: number): number {
  const t = state[at] ^ (state[at] << 11);
  state[at] = state[at + 1];
  state[at + 1] = state[at + 2];
  state[at + 2] = state[at + 3];
  state[at + 3] = state[at + 3] ^ (state[at + 3] >>> 19) ^ t ^ (t >>> 8);
  return state[at + 3] >>> 0;
}

/** The count of a 16-bit prefix; a straddling prefix (12 of 65,536) takes its low 16 bits from the second stream. */
function poissonOfPrefix(prefix: number, streams: Int32Array): number {
  const count = POISSON_BY_PREFIX[prefix];
  return count === STRADDLES ? poissonAt(prefix * 65536 + (nextUint32At(streams, 4) >>> 16)) : count;
}

/**
 * One bootstrap resample as Poisson(1) weights, one per row: how many times the row is drawn. This
 * is the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012), the large-n equivalent
 * of n draws with replacement: rows are independent, so the weights are generated sequentially in
 * whatever order the rows are stored, and any subset of rows (a slice) is itself a Poisson
 * resample of that subset. Resample r of a seed is always the same stream, whatever computes it.
 */
export function drawPoissonWeights(seed: number, resample: number, weights: Uint8Array): Uint8Array {
  return drawPoissonRows(weights, 0, weights.length, resampleStreams(seed, resample));
}

/**
 * Weights of rows [start, end) of a resample, continuing its `streams` (resampleStreams, advanced
 * in place): called on consecutive ranges, from 0 up to every row, it draws exactly
 * drawPoissonWeights' weights, so a pass can draw each block of rows just before it reads them.
 * `start` must be even, and so must `end` unless it is the last row.
 *
 * Each row inverts the Poisson CDF at a 32-bit uniform, assembled lazily: its top 16 bits decide
 * all but 12 of 65,536 cases, so one 32-bit draw serves two rows and the low bits are drawn (from
 * the second stream) only when needed.
 */
export function drawPoissonRows(
  weights: Uint8Array,
  start: number,
  end: number,
  streams: Int32Array,
): Uint8Array {
  // The generator's step inlined by hand: the state stays in registers instead of being loaded
  // from and stored to memory on every draw.
  // A local: a module-level binding is a context slot, loaded on every access in the loop.
  const byPrefix = POISSON_BY_PREFIX;
  let x = streams[0];
  let y = streams[1];
  let z = streams[2];
  let w = streams[3];
  const pairsEnd = end >> 1;
  for (let pair = start >> 1; pair < pairsEnd; pair++) {
    const t = x ^ (x << 11);
    x = y;
    y = z;
    z = w;
    w = w ^ (w >>> 19) ^ t ^ (t >>> 8);
    const high = byPrefix[w >>> 16];
    const low = byPrefix[w & 0xffff];
    // Counts are at most 12, so the OR is STRADDLES only when one of them is: one rare branch.
    if ((high | low) === STRADDLES) {
      weights[2 * pair] = poissonOfPrefix(w >>> 16, streams);
      weights[2 * pair + 1] = poissonOfPrefix(w & 0xffff, streams);
    } else {
      weights[2 * pair] = high;
      weights[2 * pair + 1] = low;
    }
  }
  streams[0] = x;
  streams[1] = y;
  streams[2] = z;
  streams[3] = w;
  // An odd last row: its 16 bits come from the second stream.
  if (end & 1) weights[end - 1] = poissonOfPrefix(nextUint32At(streams, 4) >>> 16, streams);
  return weights;
}

/** The two generator states of resample r (the draws, then the low bits of straddling draws). */
export function resampleStreams(seed: number, resample: number): Int32Array {
  const streams = new Int32Array(8);
  streams.set(new SeededRandom(seed, 2 * resample + 1).state());
  streams.set(new SeededRandom(seed, 2 * resample + 2).state(), 4);
  return streams;
}

/** The inversion tables, for a thread that draws the same weights (bootstrap-helper.ts). */
export const POISSON_TABLES = { byPrefix: POISSON_BY_PREFIX, cdf32: POISSON_CDF_32, straddles: STRADDLES };
