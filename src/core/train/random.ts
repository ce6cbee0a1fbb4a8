/**
 * A small seeded PRNG (splitmix32) for splits, bootstraps and subsampling: the same seed gives
 * the same sequence on every machine, so the same data, params and seed give the same model.
 */
export class SeededRandom {
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
  integer(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [index: number]: number }>(values: T): T {
    for (let index = values.length - 1; index > 0; index--) {
      const other = this.integer(index + 1);
      const swap = values[index];
      values[index] = values[other];
      values[other] = swap;
    }
    return values;
  }
}
