import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Estimator, Task } from '../../../src/core/train/model-types.js';
import { gradientBoosting } from '../../../src/core/train/trees/gradient-boosting.js';
import { randomForest } from '../../../src/core/train/trees/random-forest.js';
import { rSquared, rocAucOneVsRest } from './metrics.js';

/** Made by tests/fixtures/train/trees/make_fixtures.py: the encoded splits and sklearn's scores on them. */
const FIXTURES = join(process.cwd(), 'tests', 'fixtures', 'train', 'trees');
const sklearn = JSON.parse(readFileSync(join(FIXTURES, 'sklearn-scores.json'), 'utf8')) as {
  datasets: Record<string, { task: Task['kind'] } & Record<string, { roc_auc?: number; r2?: number }>>;
};
const AUC_TOLERANCE = 0.01;
const R2_TOLERANCE = 0.02;

function readSplit(name: string) {
  const lines = readFileSync(join(FIXTURES, `${name}.csv`), 'utf8')
    .trim()
    .split('\n');
  const cols = lines[0].split(',').length - 1;
  const values = new Float64Array(lines.length * cols);
  const y = new Float64Array(lines.length);
  lines.forEach((line, row) => {
    const fields = line.split(',').map(Number);
    values.set(fields.slice(0, cols), row * cols);
    y[row] = fields[cols];
  });
  return { x: { rows: lines.length, cols, values, columnNames: [] }, y };
}

function taskOf(kind: Task['kind'], y: Float64Array): Task {
  if (kind === 'regression') return { kind };
  if (kind === 'binary') return { kind, classCount: 2 };
  return { kind, classCount: Math.max(...y) + 1 };
}

const estimators = { 'gradient-boosting': gradientBoosting, 'random-forest': randomForest } as Record<
  string,
  Estimator<unknown>
>;
const cases = Object.entries(sklearn.datasets).flatMap(([dataset, entry]) =>
  Object.keys(estimators).map((algorithm) => [dataset, algorithm, entry.task] as const),
);

describe('quality against scikit-learn on the same splits (default params)', () => {
  test.each(cases)('%s: %s reaches sklearn within tolerance', async (dataset, algorithm, kind) => {
    const train = readSplit(`${dataset}-train`);
    const test = readSplit(`${dataset}-test`);
    const task = taskOf(kind, train.y);
    const estimator = estimators[algorithm];
    const model = await estimator.fit(
      { train: train.x, trainTarget: train.y, task, seed: 42 },
      estimator.parseParams({}),
    );
    const predicted = model.predict(test.x);
    const reference = sklearn.datasets[dataset][algorithm];
    if (kind === 'regression') {
      const r2 = rSquared(predicted, test.y);
      console.log(`${dataset} ${algorithm}: R² ${r2.toFixed(4)} (sklearn ${reference.r2!.toFixed(4)})`);
      expect(r2).toBeGreaterThanOrEqual(reference.r2! - R2_TOLERANCE);
    } else {
      const auc = rocAucOneVsRest(predicted, test.y, task.kind === 'regression' ? 0 : task.classCount);
      console.log(
        `${dataset} ${algorithm}: ROC AUC ${auc.toFixed(4)} (sklearn ${reference.roc_auc!.toFixed(4)})`,
      );
      expect(auc).toBeGreaterThanOrEqual(reference.roc_auc! - AUC_TOLERANCE);
    }
  });
});
