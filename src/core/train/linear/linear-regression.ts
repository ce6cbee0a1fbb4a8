import { InputError } from '../../errors.js';
import type { Estimator, FittedEstimator, FitInput } from '../model-types.js';
import { parseParamsWith, type ParamSpecs } from '../params.js';
import { linearScores } from './column-major.js';

export interface LinearRegressionParams {
  /** L2 strength as sklearn's Ridge: minimises ‖y − Xw − b‖² + alpha·‖w‖² (intercept not penalised). */
  alpha: number;
}

const SPECS: ParamSpecs<LinearRegressionParams> = {
  alpha: {
    kind: 'number',
    min: 0,
    description: 'L2 regularisation strength (ridge); 0 is ordinary least squares',
  },
};

const DEFAULTS: LinearRegressionParams = { alpha: 1 };

/** Solves A·x = b for symmetric positive definite A (row-major n×n) by Cholesky; undefined when A is not SPD. */
export function solveCholesky(matrix: Float64Array, rhs: Float64Array): Float64Array | undefined {
  const n = rhs.length;
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
      if (i === j) {
        if (!(sum > 1e-12 * Math.max(1, Math.abs(matrix[i * n + i])))) return undefined;
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / lower[j * n + j];
      }
    }
  }
  const forward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i];
    for (let k = 0; k < i; k++) sum -= lower[i * n + k] * forward[k];
    forward[i] = sum / lower[i * n + i];
  }
  const solution = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = forward[i];
    for (let k = i + 1; k < n; k++) sum -= lower[k * n + i] * solution[k];
    solution[i] = sum / lower[i * n + i];
  }
  return solution;
}

/**
 * Ridge in closed form: centre X and y on the training rows, solve (XcᵀXc + alpha·I)·w = Xcᵀyc by
 * Cholesky, intercept = ȳ − x̄·w. One pass for the means, one for the normal equations.
 */
function fitRidge(input: FitInput, alpha: number) {
  const { rows, cols, values } = input.train;
  const y = input.trainTarget;
  const means = new Float64Array(cols);
  let targetMean = 0;
  for (let row = 0; row < rows; row++) {
    const base = row * cols;
    for (let col = 0; col < cols; col++) means[col] += values[base + col];
    targetMean += y[row];
  }
  for (let col = 0; col < cols; col++) means[col] /= rows;
  targetMean /= rows;
  const gram = new Float64Array(cols * cols);
  const rhs = new Float64Array(cols);
  const centred = new Float64Array(cols);
  for (let row = 0; row < rows; row++) {
    const base = row * cols;
    for (let col = 0; col < cols; col++) centred[col] = values[base + col] - means[col];
    const target = y[row] - targetMean;
    for (let i = 0; i < cols; i++) {
      const xi = centred[i];
      if (xi === 0) continue;
      rhs[i] += xi * target;
      for (let j = 0; j <= i; j++) gram[i * cols + j] += xi * centred[j];
    }
  }
  for (let i = 0; i < cols; i++) {
    gram[i * cols + i] += alpha;
    for (let j = 0; j < i; j++) gram[j * cols + i] = gram[i * cols + j];
  }
  const weights = solveCholesky(gram, rhs);
  if (!weights) {
    throw new InputError(
      'the features are collinear (for example a one-hot block with an intercept); use alpha > 0',
      {
        key: 'alpha',
      },
    );
  }
  let intercept = targetMean;
  for (let col = 0; col < cols; col++) intercept -= means[col] * weights[col];
  return { weights: Float32Array.from(weights), intercept: Math.fround(intercept) };
}

export const linearRegression: Estimator<LinearRegressionParams> = {
  name: 'linear-regression',
  tasks: ['regression'],
  defaults: DEFAULTS,
  scaleFeatures: true,
  parseParams: (raw) => parseParamsWith('linear-regression', raw, SPECS, DEFAULTS),
  paramDescriptions: Object.fromEntries(Object.entries(SPECS).map(([key, spec]) => [key, spec.description])),

  async fit(input: FitInput, params: LinearRegressionParams): Promise<FittedEstimator> {
    const { weights, intercept } = fitRidge(input, params.alpha);
    return {
      predict: (x) => linearScores(x, weights, intercept),
      toOnnxNodes: (names) => [
        {
          opType: 'LinearRegressor',
          domain: 'ai.onnx.ml',
          inputs: [names.input],
          outputs: [names.scores],
          attributes: [
            { name: 'coefficients', floats: [...weights] },
            { name: 'intercepts', floats: [intercept] },
            { name: 'targets', i: 1 },
            { name: 'post_transform', s: 'NONE' },
          ],
        },
      ],
      summary: { solver: 'cholesky', coefficients: weights.length },
    };
  },
};
