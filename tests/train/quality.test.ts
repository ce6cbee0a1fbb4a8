import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoData } from '../../examples/demo-data/write.js';
import { openDataSource } from '../../src/core/data/source.js';
import { selectFeatures } from '../../src/core/train/columns.js';
import { loadColumns } from '../../src/core/train/load-columns.js';
import { trainBuiltIn } from '../../src/core/train/pipeline.js';
import { validationMetrics } from '../../src/core/train/validation-metrics.js';
import { featureFeeds, runExportedModel } from '../../src/core/train/verify-export.js';
import { REPO_ROOT } from '../support/run-bundle.js';
import expected from '../fixtures/train/linear/sklearn-scores.json' with { type: 'json' };

/** The spec's bar: ROC AUC within 0.01 and R² within 0.02 of scikit-learn on the same split. */
const TOLERANCE: Record<string, number> = { roc_auc: 0.01, r2: 0.02, accuracy: 0.02, log_loss: 0.02 };
const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'train', 'linear');

let demoDir: string;

beforeAll(async () => {
  demoDir = join(await mkdtemp(join(tmpdir(), 'mlops-quality-')), 'demo');
  await writeDemoData({ dir: demoDir, rows: expected.demo.rows, seed: expected.demo.seed, layout: 'splits' });
});

const resolvePath = (ref: string) =>
  ref.startsWith('demo:') ? join(demoDir, ref.slice(5)) : join(FIXTURES, ref);

/** Scores the exported model in onnxruntime-node on the test file's raw columns. */
async function scoreOnTest(
  model: Uint8Array,
  testFile: string,
  features: string[],
  target: string,
  classes: (string | number)[] | null,
  task: Parameters<typeof validationMetrics>[0],
) {
  const source = await openDataSource(testFile);
  try {
    const selection = selectFeatures(source.columns, target, features, testFile);
    const table = await loadColumns(source, selection.features, { name: target, kind: 'numeric' });
    const rows = Int32Array.from({ length: table.rows }, (_, row) => row);
    const { scores } = await runExportedModel(model, featureFeeds(table, selection.features, rows), task);
    const values = table.target.values as Float64Array;
    const y = classes ? Float64Array.from(values, (value) => classes.indexOf(value)) : values;
    return validationMetrics(task, scores, y);
  } finally {
    source.close();
  }
}

describe('linear models reach scikit-learn quality on the same train/test files', () => {
  test.each(Object.keys(expected.cases))('%s', async (name) => {
    const testCase = expected.cases[name as keyof typeof expected.cases];
    const train = resolvePath(testCase.train);
    expect(
      createHash('sha256')
        .update(await readFile(train))
        .digest('hex'),
    ).toBe(testCase.trainSha256);
    const trained = await trainBuiltIn({
      data: train,
      target: testCase.target,
      algorithm: testCase.task === 'regression' ? 'linear-regression' : 'logistic-regression',
      features: testCase.features,
      params: { validation_fraction: '0' },
      seed: 42,
    });
    const { task, classes } = trained.details.target;
    expect(task.kind).toBe(testCase.task);
    const ours = await scoreOnTest(
      trained.model,
      resolvePath(testCase.test),
      testCase.features,
      testCase.target,
      classes,
      task,
    );
    for (const [metric, reference] of Object.entries(testCase.sklearn)) {
      expect({
        metric,
        difference: Math.abs(ours[metric] - reference) < TOLERANCE[metric],
        ours: ours[metric],
        reference,
      }).toEqual(expect.objectContaining({ metric, difference: true }));
    }
  });
});
