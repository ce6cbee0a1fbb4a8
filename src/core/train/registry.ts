import { InputError } from '../errors.js';
import { linearRegression } from './linear/linear-regression.js';
import { logisticRegression } from './linear/logistic-regression.js';
import { gradientBoosting } from './trees/gradient-boosting.js';
import { randomForest } from './trees/random-forest.js';
import type { Estimator } from './model-types.js';

/** Every algorithm of the CLI contract, built or not (the message for a missing one lists them). */
export const ALGORITHMS = [
  'logistic-regression',
  'linear-regression',
  'gradient-boosting',
  'random-forest',
] as const;

/** The algorithm a built-in training run uses when none is named. */
export const DEFAULT_ALGORITHM = 'gradient-boosting';

/** The built-in estimators; adding one is one import and one entry here. */
const ESTIMATORS: Estimator<unknown>[] = [
  logisticRegression,
  linearRegression,
  gradientBoosting,
  randomForest,
];

export function availableAlgorithms(): string[] {
  return ESTIMATORS.map((estimator) => estimator.name);
}

export function findEstimator(name: string): Estimator<unknown> {
  const estimator = ESTIMATORS.find((candidate) => candidate.name === name);
  if (estimator) return estimator;
  if ((ALGORITHMS as readonly string[]).includes(name)) {
    throw new InputError(
      `algorithm "${name}" is not available in this build; available: ${availableAlgorithms().join(', ')}`,
      {
        key: 'algorithm',
      },
    );
  }
  throw new InputError(`unknown algorithm "${name}"; valid algorithms: ${availableAlgorithms().join(', ')}`, {
    key: 'algorithm',
  });
}
