/**
 * A seeded PRNG (xorshift128+ folded to 32 bits, seeded through splitmix32) for the bootstrap:
 * the same seed gives the same resamples, hence the same intervals, on every machine.
 */
export class BootstrapRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const next = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1;
  }

  /** Uniform 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [0, n) for n ≤ 2^32 (multiply-shift; bias below 2^-20 for n ≤ 2^12 · 2^20 rows). */
  nextIndex(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * One bootstrap resample as counts: `counts[i]` is how many times row i was drawn in n draws with
 * replacement (a multinomial over the rows). Metrics then weight each row by its count, so the data
 * is sorted once and never copied per resample.
 */
export function drawResampleCounts(random: BootstrapRandom, n: number, counts: Uint32Array): Uint32Array {
  counts.fill(0);
  for (let draw = 0; draw < n; draw++) counts[random.nextIndex(n)]++;
  return counts;
}
