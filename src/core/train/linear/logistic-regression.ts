import type { DesignMatrix, Estimator, FittedEstimator, FitInput, OnnxNodeSpec } from '../model-types.js';
import { parseParamsWith, type ParamSpecs } from '../params.js';
import { linearScores, toColumnMajor } from './column-major.js';
import { minimizeLbfgs } from './lbfgs.js';

export interface LogisticRegressionParams {
  /** Inverse L2 strength, as sklearn's C: the loss is C·Σ log-loss + ½‖w‖² (intercept not penalised). */
  C: number;
  max_iter: number;
  /** L-BFGS stops when the largest gradient component (of the mean loss) is at most this. */
  tol: number;
}

const SPECS: ParamSpecs<LogisticRegressionParams> = {
  C: { kind: 'number', min: 0, exclusiveMin: true, description: 'inverse of the L2 regularisation strength' },
  max_iter: { kind: 'integer', min: 1, description: 'L-BFGS iterations at most' },
  tol: { kind: 'number', min: 0, exclusiveMin: true, description: 'gradient tolerance for convergence' },
};

const DEFAULTS: LogisticRegressionParams = { C: 1, max_iter: 100, tol: 1e-4 };

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Mean log-loss + λ/2‖w‖² with λ = 1/(C·n) (the same minimiser as sklearn's C·Σ loss + ½‖w‖²).
 * Parameters are laid out class by class: [w_c (cols), b_c]. One pass per column computes the
 * scores, one the gradient; no per-row objects.
 */
function multinomialObjective(columns: Float32Array[], y: Float64Array, classes: number, lambda: number) {
  const rows = y.length;
  const cols = columns.length;
  const stride = cols + 1;
  const scores = Array.from({ length: classes }, () => new Float64Array(rows));
  return (params: Float64Array, gradient: Float64Array): number => {
    for (let c = 0; c < classes; c++) {
      const score = scores[c];
      score.fill(params[c * stride + cols]);
      for (let col = 0; col < cols; col++) {
        const weight = params[c * stride + col];
        if (weight === 0) continue;
        const column = columns[col];
        for (let row = 0; row < rows; row++) score[row] += weight * column[row];
      }
    }
    let loss = 0;
    for (let row = 0; row < rows; row++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, scores[c][row]);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(scores[c][row] - max);
      const logSum = max + Math.log(sum);
      const label = y[row];
      loss += logSum - scores[label][row];
      // Residuals (p − onehot) overwrite the scores: the gradient pass reads them.
      for (let c = 0; c < classes; c++)
        scores[c][row] = Math.exp(scores[c][row] - logSum) - (c === label ? 1 : 0);
    }
    let penalty = 0;
    for (let c = 0; c < classes; c++) {
      const residual = scores[c];
      let interceptGradient = 0;
      for (let row = 0; row < rows; row++) interceptGradient += residual[row];
      gradient[c * stride + cols] = interceptGradient / rows;
      for (let col = 0; col < cols; col++) {
        const column = columns[col];
        let sum = 0;
        for (let row = 0; row < rows; row++) sum += residual[row] * column[row];
        const weight = params[c * stride + col];
        gradient[c * stride + col] = sum / rows + lambda * weight;
        penalty += weight * weight;
      }
    }
    return loss / rows + (lambda / 2) * penalty;
  };
}

/** Rows per block of the fused pass: the block's slice of every column stays in cache between the score and gradient loops. */
const BLOCK_ROWS = 2048;

/**
 * Binary case as sklearn fits it: one weight vector and a sigmoid. Parameters: [w (cols), b].
 * One fused pass over the data: per block of rows, scores, loss and residuals, then the block's
 * gradient contributions, while the block is still in cache.
 */
function binaryObjective(columns: Float32Array[], y: Float64Array, lambda: number) {
  const rows = y.length;
  const cols = columns.length;
  const score = new Float64Array(BLOCK_ROWS);
  const sums = new Float64Array(cols);
  return (params: Float64Array, gradient: Float64Array): number => {
    let loss = 0;
    let interceptGradient = 0;
    sums.fill(0);
    for (let start = 0; start < rows; start += BLOCK_ROWS) {
      const end = Math.min(rows, start + BLOCK_ROWS);
      const size = end - start;
      score.fill(params[cols], 0, size);
      for (let col = 0; col < cols; col++) {
        const weight = params[col];
        if (weight === 0) continue;
        const column = columns[col];
        for (let row = start; row < end; row++) score[row - start] += weight * column[row];
      }
      for (let at = 0; at < size; at++) {
        const z = score[at];
        const label = y[start + at];
        // One exp per row: log(1 + e^z) and σ(z) both from e^−|z|.
        const e = Math.exp(-Math.abs(z));
        loss += (z > 0 ? z : 0) + Math.log1p(e) - label * z;
        const residual = (z >= 0 ? 1 / (1 + e) : e / (1 + e)) - label;
        score[at] = residual;
        interceptGradient += residual;
      }
      for (let col = 0; col < cols; col++) {
        const column = columns[col];
        let sum = 0;
        for (let row = start; row < end; row++) sum += score[row - start] * column[row];
        sums[col] += sum;
      }
    }
    let penalty = 0;
    for (let col = 0; col < cols; col++) {
      const weight = params[col];
      gradient[col] = sums[col] / rows + lambda * weight;
      penalty += weight * weight;
    }
    gradient[cols] = interceptGradient / rows;
    return loss / rows + (lambda / 2) * penalty;
  };
}

/** Per-class weights and intercepts, rounded to float32 as the ONNX graph stores them. */
interface LinearClasses {
  weights: Float32Array[];
  intercepts: Float32Array;
}

function predictProbabilities(x: DesignMatrix, model: LinearClasses, binary: boolean): Float64Array {
  const classes = binary ? 2 : model.weights.length;
  const out = new Float64Array(x.rows * classes);
  if (binary) {
    const scores = linearScores(x, model.weights[0], model.intercepts[0]);
    scores.forEach((z, row) => {
      const p = sigmoid(z);
      out[row * 2] = 1 - p;
      out[row * 2 + 1] = p;
    });
    return out;
  }
  const scores = model.weights.map((weights, c) => linearScores(x, weights, model.intercepts[c]));
  for (let row = 0; row < x.rows; row++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, scores[c][row]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(scores[c][row] - max);
    for (let c = 0; c < classes; c++) out[row * classes + c] = Math.exp(scores[c][row] - max) / sum;
  }
  return out;
}

function classifierNodes(
  model: LinearClasses,
  binary: boolean,
  names: { input: string; label: string; scores: string },
): OnnxNodeSpec[] {
  // Binary: softmax over [−z/2, z/2] equals [1 − σ(z), σ(z)], so both cases use SOFTMAX with
  // one coefficient row per class and ORT returns [N,2] probabilities in class order.
  const rows = binary
    ? [
        { weights: model.weights[0].map((w) => -w / 2), intercept: -model.intercepts[0] / 2 },
        { weights: model.weights[0].map((w) => w / 2), intercept: model.intercepts[0] / 2 },
      ]
    : model.weights.map((weights, c) => ({ weights, intercept: model.intercepts[c] }));
  return [
    {
      opType: 'LinearClassifier',
      domain: 'ai.onnx.ml',
      inputs: [names.input],
      outputs: [names.label, names.scores],
      attributes: [
        { name: 'classlabels_ints', ints: rows.map((_, c) => c) },
        { name: 'coefficients', floats: rows.flatMap((row) => [...row.weights]) },
        { name: 'intercepts', floats: rows.map((row) => row.intercept) },
        { name: 'multi_class', i: 0 },
        { name: 'post_transform', s: 'SOFTMAX' },
      ],
    },
  ];
}

export const logisticRegression: Estimator<LogisticRegressionParams> = {
  name: 'logistic-regression',
  tasks: ['binary', 'multiclass'],
  defaults: DEFAULTS,
  scaleFeatures: true,
  parseParams: (raw) => parseParamsWith('logistic-regression', raw, SPECS, DEFAULTS),
  paramDescriptions: Object.fromEntries(Object.entries(SPECS).map(([key, spec]) => [key, spec.description])),

  async fit(input: FitInput, params: LogisticRegressionParams): Promise<FittedEstimator> {
    const { train, trainTarget, task } = input;
    const columns = toColumnMajor(train);
    const lambda = 1 / (params.C * train.rows);
    const binary = task.kind === 'binary';
    const classes = task.kind === 'regression' ? 0 : task.classCount;
    const heads = binary ? 1 : classes;
    const stride = train.cols + 1;
    const objective = binary
      ? binaryObjective(columns, trainTarget, lambda)
      : multinomialObjective(columns, trainTarget, classes, lambda);
    const result = minimizeLbfgs(objective, new Float64Array(heads * stride), {
      maxIterations: params.max_iter,
      gradientTolerance: params.tol,
    });
    const model: LinearClasses = {
      weights: Array.from({ length: heads }, (_, c) =>
        Float32Array.from(result.x.subarray(c * stride, c * stride + train.cols)),
      ),
      intercepts: Float32Array.from({ length: heads }, (_, c) => result.x[c * stride + train.cols]),
    };
    return {
      predict: (x) => predictProbabilities(x, model, binary),
      toOnnxNodes: (names) => classifierNodes(model, binary, names),
      summary: {
        solver: 'lbfgs',
        iterations: result.iterations,
        converged: result.converged,
        objective: result.value,
        coefficients: heads * train.cols,
        curve: result.values.map((value, at) => ({ iteration: at + 1, trainLoss: value })),
      },
    };
  },
};
