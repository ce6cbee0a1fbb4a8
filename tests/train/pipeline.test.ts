import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { writeDemoData } from '../../examples/demo-data/write.js';
import { DEMO_FEATURES } from '../../examples/demo-data/weather.js';
import { assertMatchesSchema } from '../../src/core/json-schema.js';
import { trainBuiltIn } from '../../src/core/train/pipeline.js';
import trainingSchema from '../../schemas/training.schema.json' with { type: 'json' };
import { expectPipelineParity } from './support/pipeline-parity.js';

const RAIN_FEATURES: string[] = [...DEMO_FEATURES];
let demo: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-train-'));
  const files = await writeDemoData({ dir: join(dir, 'demo'), rows: 3000, seed: 7, layout: 'splits' });
  demo = files.train.path;
});

function schemaCheck(value: unknown) {
  return assertMatchesSchema(trainingSchema, JSON.parse(JSON.stringify(value)), 'training.json');
}

describe('training pipeline → ONNX parity with onnxruntime-node', () => {
  test('binary logistic regression on the demo data: raw columns in, label + probabilities out', async () => {
    const trained = await expectPipelineParity({
      data: demo,
      target: 'rain_within_4h',
      algorithm: 'logistic-regression',
      features: RAIN_FEATURES,
      params: {},
      seed: 42,
    });
    const { training } = trained;
    expect(training.task).toBe('binary');
    expect(training.classes).toEqual([0, 1]);
    expect(training.model.inputs.map((input) => input.name)).toEqual(RAIN_FEATURES);
    expect(training.model.inputs.find((input) => input.name === 'station')?.type).toBe('string');
    expect(training.model.outputs).toEqual([
      { name: 'label', type: 'int64', shape: ['N'] },
      { name: 'probabilities', type: 'float', shape: ['N', 2] },
    ]);
    expect(training.estimator.converged).toBe(true);
    expect(training.validationMetrics.roc_auc).toBeGreaterThan(0.8);
    expect(training.split.trainRows + training.split.validationRows).toBe(training.data.rows);
    schemaCheck(training);
  });

  test('multinomial logistic regression with text classes outputs string labels in sorted class order', async () => {
    const numeric = RAIN_FEATURES.filter((name) => name !== 'weather_type' && name !== 'station');
    const trained = await expectPipelineParity({
      data: demo,
      target: 'weather_type',
      algorithm: 'logistic-regression',
      features: numeric,
      params: { C: '0.5', max_iter: '200' },
      seed: 1,
    });
    const classes = trained.training.classes as string[];
    expect(classes.length).toBeGreaterThan(2);
    expect(classes).toEqual([...classes].sort());
    expect(trained.training.task).toBe('multiclass');
    expect(trained.training.model.outputs[0]).toEqual({ name: 'label', type: 'string', shape: ['N'] });
    expect(trained.training.params).toMatchObject({ C: 0.5, max_iter: 200, tol: 1e-4 });
  });

  test('ridge regression with default features skips the timestamp column and says so', async () => {
    const trained = await expectPipelineParity({
      data: demo,
      target: 'temperature_in_4h_c',
      algorithm: 'linear-regression',
      params: { alpha: '3' },
      seed: 42,
    });
    expect(trained.training.skippedColumns).toEqual([{ name: 'timestamp', reason: 'TIMESTAMP column' }]);
    expect(trained.notes[0]).toContain('skipped column "timestamp"');
    expect(trained.training.model.outputs).toEqual([{ name: 'variable', type: 'float', shape: ['N', 1] }]);
    expect(trained.training.validationMetrics.r2).toBeGreaterThan(0.3);
    schemaCheck(trained.training);
  });

  test('missing numbers are imputed with the training median; unseen and missing categories encode as zeros', async () => {
    // 40 rows: x has gaps, colour has a value seen once (it may land in validation only) and gaps.
    const lines = ['x,colour,flag'];
    for (let row = 0; row < 40; row++) {
      const x = row % 7 === 3 ? '' : String((row * 37) % 23);
      const colour = row === 5 ? 'violet' : row % 9 === 0 ? '' : ['red', 'green', 'blue'][row % 3];
      lines.push(`${x},${colour},${(row * 37) % 23 > 11 !== (row % 3 === 0) ? 'true' : 'false'}`);
    }
    const file = join(dir, 'gaps.csv');
    await writeFile(file, `${lines.join('\n')}\n`);
    const trained = await expectPipelineParity({
      data: file,
      target: 'flag',
      algorithm: 'logistic-regression',
      params: { validation_fraction: '0' },
      seed: 3,
    });
    const present = lines
      .slice(1)
      .map((line) => line.split(',')[0])
      .filter((x) => x !== '')
      .map(Number)
      .sort((a, b) => a - b);
    const middle = present.length / 2;
    const median =
      present.length % 2 ? present[Math.floor(middle)] : (present[middle - 1] + present[middle]) / 2;
    const [x, colour] = trained.training.features;
    expect(x.preprocessing.impute).toEqual({
      strategy: 'median',
      value: median,
      missingInTrain: 40 - present.length,
    });
    expect(colour.preprocessing.oneHot?.categories).toEqual(['', 'blue', 'green', 'red', 'violet']);
    expect(trained.training.classes).toEqual(['false', 'true']);
    expect(trained.training.target.sqlType).toBe('BOOLEAN');
  });

  test('the model carries target, features and classes in its metadata; another seed gives another split', async () => {
    const options = {
      data: demo,
      target: 'rain_within_4h',
      algorithm: 'logistic-regression',
      features: RAIN_FEATURES,
      params: {},
      seed: 42,
    };
    const trained = await trainBuiltIn(options);
    const decoded = onnxProto.onnx.ModelProto.decode(trained.model);
    const metadata = Object.fromEntries(decoded.metadataProps.map((entry) => [entry.key, entry.value]));
    expect(metadata['mlops.target']).toBe('rain_within_4h');
    expect(JSON.parse(metadata['mlops.features'])).toEqual(RAIN_FEATURES);
    expect(JSON.parse(metadata['mlops.classes'])).toEqual([0, 1]);
    expect(decoded.opsetImport.map((opset) => [opset.domain, Number(opset.version)])).toEqual([
      ['', 17],
      ['ai.onnx.ml', 3],
    ]);
    const other = await trainBuiltIn({ ...options, seed: 43 });
    expect(Array.from(other.details.validationRows)).not.toEqual(Array.from(trained.details.validationRows));
    expect(Buffer.from(other.model).equals(Buffer.from(trained.model))).toBe(false);
  });
});
