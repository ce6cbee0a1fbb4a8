import { InputError } from '../../../src/core/errors.js';
import { randomForest } from '../../../src/core/train/trees/random-forest.js';
import { buildTestModel, TEST_GRAPH_NAMES } from './onnx-harness.js';
import { expectOnnxParity } from './parity.js';
import { syntheticData } from './synthetic.js';

describe('random-forest', () => {
  test.each(['binary', 'multiclass', 'regression'] as const)(
    '%s: onnxruntime on the exported nodes agrees with predict() within 1e-5',
    async (kind) => {
      const train = syntheticData(kind, 800, 11);
      const test = syntheticData(kind, 400, 12);
      const params = randomForest.parseParams({});
      const model = await randomForest.fit(
        { train: train.x, trainTarget: train.y, task: train.task, seed: 3 },
        params,
      );
      await expectOnnxParity(model, test, kind);
      await expectOnnxParity(model, train, kind);
    },
  );

  test('probabilities are averaged leaf class frequencies: fully grown trees fit bootstrap rows exactly', async () => {
    const data = syntheticData('multiclass', 300, 13);
    const params = randomForest.parseParams({ n_estimators: '1', bootstrap: 'false', max_features: '1' });
    const model = await randomForest.fit(
      { train: data.x, trainTarget: data.y, task: data.task, seed: 1 },
      params,
    );
    const probabilities = model.predict(data.x);
    const k = data.task.kind === 'multiclass' ? data.task.classCount : 0;
    // Rows with identical features but different classes share a leaf; every other row is pure.
    let exact = 0;
    for (let row = 0; row < data.x.rows; row++) if (probabilities[row * k + data.y[row]] === 1) exact++;
    expect(exact).toBeGreaterThan(0.95 * data.x.rows);
  });

  test('the same data, params and seed give byte-identical nodes; another seed does not', async () => {
    const data = syntheticData('binary', 500, 14);
    const params = randomForest.parseParams({ n_estimators: '5', max_depth: '6' });
    const bytes = async (seed: number) => {
      const model = await randomForest.fit(
        { train: data.x, trainTarget: data.y, task: data.task, seed },
        params,
      );
      return Buffer.from(
        buildTestModel(model.toOnnxNodes(TEST_GRAPH_NAMES), data.x.cols, ['label', 'scores']),
      );
    };
    expect((await bytes(5)).equals(await bytes(5))).toBe(true);
    expect((await bytes(5)).equals(await bytes(6))).toBe(false);
  });

  test('max_depth and min_samples_leaf bound the trees', async () => {
    const data = syntheticData('regression', 1000, 15);
    const input = { train: data.x, trainTarget: data.y, task: data.task, seed: 2 };
    const shallow = await randomForest.fit(
      input,
      randomForest.parseParams({ n_estimators: '3', max_depth: '3' }),
    );
    expect(shallow.summary.leaves).toBeLessThanOrEqual(3 * 8);
    const coarse = await randomForest.fit(
      input,
      randomForest.parseParams({ n_estimators: '3', min_samples_leaf: '100' }),
    );
    expect(coarse.summary.leaves).toBeLessThanOrEqual(3 * 10);
  });

  test('params: sklearn-like defaults and InputError naming the key', () => {
    expect(randomForest.parseParams({})).toEqual(randomForest.defaults);
    expect(Object.keys(randomForest.paramDescriptions!).sort()).toEqual(
      Object.keys(randomForest.defaults).sort(),
    );
    expect(randomForest.parseParams({ max_features: '0.5', max_depth: 'None' })).toMatchObject({
      max_features: 0.5,
      max_depth: null,
    });
    expect(() => randomForest.parseParams({ trees: '10' })).toThrow(InputError);
    expect(() => randomForest.parseParams({ trees: '10' })).toThrow(
      /key "trees".*valid parameters: .*n_estimators/,
    );
    expect(() => randomForest.parseParams({ max_features: 'most' })).toThrow(/key "max_features"/);
  });
});
