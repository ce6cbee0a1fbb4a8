import type { Task, TargetVector } from '../model-types.js';

/**
 * A boosting objective over raw scores laid out [row * outputs + output]: its starting scores, its
 * gradients and hessians, and its mean loss (the numbers of the training curve).
 */
export interface BoostingLoss {
  /** Trees per round: the class count for softmax, 1 otherwise. */
  outputs: number;
  baseline(y: TargetVector): Float64Array;
  /** Writes gradients and hessians of every output: gradHess[output][2 * row] and [2 * row + 1]. */
  gradients(raw: Float64Array, y: TargetVector, gradHess: Float64Array[]): void;
  loss(raw: Float64Array, y: TargetVector): number;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Binary log-loss gradients and hessians of rows [start, end) (scores raw, targets 0/1). Training
 * computes them with the grower's WebAssembly kernel instead (histogram-kernels.wat), whose e^x is
 * within a few ulps of Math.exp's.
 */
export function logisticGradients(
  raw: Float64Array,
  y: TargetVector,
  gradHess: Float64Array,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const p = 1 / (1 + Math.exp(-raw[i]));
    gradHess[2 * i] = p - y[i];
    gradHess[2 * i + 1] = p * (1 - p);
  }
}

const binaryLogLoss: BoostingLoss = {
  outputs: 1,
  baseline(y) {
    let positives = 0;
    for (let i = 0; i < y.length; i++) positives += y[i];
    const p = Math.min(Math.max(positives / y.length, 1e-12), 1 - 1e-12);
    return Float64Array.of(Math.log(p / (1 - p)));
  },
  gradients(raw, y, [gradHess]) {
    logisticGradients(raw, y, gradHess, 0, y.length);
  },
  loss(raw, y) {
    let total = 0;
    for (let i = 0; i < y.length; i++) total += softplus(raw[i]) - y[i] * raw[i];
    return total / y.length;
  },
};

function softmaxLoss(classCount: number): BoostingLoss {
  const probabilities = new Float64Array(classCount);
  /** Fills `probabilities` for one row and returns its log-sum-exp. */
  const softmaxRow = (raw: Float64Array, row: number): number => {
    const base = row * classCount;
    let max = -Infinity;
    for (let k = 0; k < classCount; k++) max = Math.max(max, raw[base + k]);
    let sum = 0;
    for (let k = 0; k < classCount; k++) sum += probabilities[k] = Math.exp(raw[base + k] - max);
    for (let k = 0; k < classCount; k++) probabilities[k] /= sum;
    return max + Math.log(sum);
  };
  return {
    outputs: classCount,
    baseline(y) {
      const counts = new Float64Array(classCount);
      for (let i = 0; i < y.length; i++) counts[y[i]]++;
      return counts.map((count) => Math.log(Math.max(count / y.length, 1e-12)));
    },
    gradients(raw, y, gradHess) {
      for (let i = 0; i < y.length; i++) {
        softmaxRow(raw, i);
        const label = y[i];
        for (let k = 0; k < classCount; k++) {
          const p = probabilities[k];
          gradHess[k][2 * i] = p - (k === label ? 1 : 0);
          gradHess[k][2 * i + 1] = p * (1 - p);
        }
      }
    },
    loss(raw, y) {
      let total = 0;
      for (let i = 0; i < y.length; i++) total += softmaxRow(raw, i) - raw[i * classCount + y[i]];
      return total / y.length;
    },
  };
}

/** Squared error (gradients of its half, as sklearn's 'squared_error'); the loss is the mean squared error. */
const squaredError: BoostingLoss = {
  outputs: 1,
  baseline(y) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i];
    return Float64Array.of(sum / y.length);
  },
  gradients(raw, y, [gradHess]) {
    for (let i = 0; i < y.length; i++) {
      gradHess[2 * i] = raw[i] - y[i];
      gradHess[2 * i + 1] = 1;
    }
  },
  loss(raw, y) {
    let total = 0;
    for (let i = 0; i < y.length; i++) total += (raw[i] - y[i]) ** 2;
    return total / y.length;
  },
};

export function boostingLossFor(task: Task): BoostingLoss {
  if (task.kind === 'binary') return binaryLogLoss;
  if (task.kind === 'multiclass') return softmaxLoss(task.classCount);
  return squaredError;
}
