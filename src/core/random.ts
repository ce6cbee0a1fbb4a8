/**
 * The seeded PRNG (splitmix32) behind every random choice outside the bootstrap's hot loop: splits,
 * subsampling, tree growth, demo data. The same seed gives the same sequence on every machine, so the
 * same data, params and seed give the same model bytes.
 */
export class SeededRandom {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Box-Muller, keeping the second value for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    const u = Math.max(this.next(), Number.MIN_VALUE);
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** A generator for a sub-task (one tree), independent of how many draws the sub-task makes. */
  fork(): SeededRandom {
    return new SeededRandom(Math.floor(this.next() * 4294967296));
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [index: number]: number }>(values: T): T {
    for (let index = values.length - 1; index > 0; index--) {
      const other = this.below(index + 1);
      const swap = values[index];
      values[index] = values[other];
      values[other] = swap;
    }
    return values;
  }

  /** Shuffles the first `count` positions of `values` into a uniform sample without replacement (in place). */
  sampleInPlace(values: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const j = i + this.below(values.length - i);
      const picked = values[j];
      values[j] = values[i];
      values[i] = picked;
    }
  }
}
