/** A small seeded PRNG (splitmix32): every random choice of the tree trainers comes from one of these. */
export class TreeRandom {
  private state: number;

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

  /** A generator for a sub-task (one tree), independent of how many draws the sub-task makes. */
  fork(): TreeRandom {
    return new TreeRandom(Math.floor(this.next() * 4294967296));
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
