/** The objective: writes the gradient at x into `gradient` and returns the value. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Stop when the largest gradient component is at most this (scipy's pgtol, sklearn's tol). */
  gradientTolerance: number;
  /** Stop when the relative decrease of the value is at most this (scipy's ftol; sklearn passes 64·eps). */
  valueTolerance?: number;
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
  /** The objective after each iteration (for the training curve). */
  values: number[];
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index] * b[index];
  return sum;
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}

/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking Armijo line search,
 * for smooth convex objectives such as L2-regularised logistic loss.
 */
export function minimizeLbfgs(objective: Objective, start: Float64Array, options: LbfgsOptions): LbfgsResult {
  const size = start.length;
  const memory = options.memory ?? 10;
  const valueTolerance = options.valueTolerance ?? 64 * Number.EPSILON;
  const x = Float64Array.from(start);
  const gradient = new Float64Array(size);
  let value = objective(x, gradient);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const rhos: number[] = [];
  const values: number[] = [];
  const direction = new Float64Array(size);
  const candidate = new Float64Array(size);
  const candidateGradient = new Float64Array(size);
  const alphas = new Float64Array(memory);
  let iterations = 0;
  let converged = maxAbs(gradient) <= options.gradientTolerance;

  while (!converged && iterations < options.maxIterations) {
    // Two-loop recursion: direction = −H·gradient.
    direction.set(gradient);
    for (let at = steps.length - 1; at >= 0; at--) {
      alphas[at] = rhos[at] * dot(steps[at], direction);
      const change = changes[at];
      for (let index = 0; index < size; index++) direction[index] -= alphas[at] * change[index];
    }
    if (steps.length) {
      const last = steps.length - 1;
      const gamma = dot(steps[last], changes[last]) / dot(changes[last], changes[last]);
      for (let index = 0; index < size; index++) direction[index] *= gamma;
    }
    for (let at = 0; at < steps.length; at++) {
      const beta = rhos[at] * dot(changes[at], direction);
      const step = steps[at];
      for (let index = 0; index < size; index++) direction[index] += step[index] * (alphas[at] - beta);
    }
    for (let index = 0; index < size; index++) direction[index] = -direction[index];

    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (lost curvature information): restart from steepest descent.
      steps.length = changes.length = rhos.length = 0;
      for (let index = 0; index < size; index++) direction[index] = -gradient[index];
      slope = dot(gradient, direction);
    }
    let stepLength = steps.length ? 1 : Math.min(1, 1 / Math.sqrt(dot(gradient, gradient)));
    let candidateValue = Infinity;
    for (let trial = 0; trial < 50; trial++) {
      for (let index = 0; index < size; index++) candidate[index] = x[index] + stepLength * direction[index];
      candidateValue = objective(candidate, candidateGradient);
      if (candidateValue <= value + 1e-4 * stepLength * slope) break;
      stepLength *= 0.5;
    }
    if (!(candidateValue < value || candidateValue <= value + 1e-4 * stepLength * slope)) break;

    const step = new Float64Array(size);
    const change = new Float64Array(size);
    for (let index = 0; index < size; index++) {
      step[index] = candidate[index] - x[index];
      change[index] = candidateGradient[index] - gradient[index];
    }
    const curvature = dot(step, change);
    if (curvature > 1e-12 * dot(change, change)) {
      if (steps.length === memory) {
        steps.shift();
        changes.shift();
        rhos.shift();
      }
      steps.push(step);
      changes.push(change);
      rhos.push(1 / curvature);
    }
    const previous = value;
    x.set(candidate);
    gradient.set(candidateGradient);
    value = candidateValue;
    values.push(value);
    iterations++;
    converged =
      maxAbs(gradient) <= options.gradientTolerance ||
      (previous - value) / Math.max(Math.abs(previous), Math.abs(value), 1) <= valueTolerance;
  }
  return { x, value, iterations, converged, values };
}
