import { InputError } from '../../../src/core/errors.js';
import { gradientBoosting } from '../../../src/core/train/trees/gradient-boosting.js';
import { buildTestModel, TEST_GRAPH_NAMES } from './onnx-harness.js';
import { syntheticData } from './synthetic.js';
import { expectOnnxParity } from './parity.js';

describe('gradient-boosting', () => {
  test.each([
    ['binary', '20'],
    ['binary', '1'],
    ['multiclass', '20'],
    ['regression', '20'],
  ] as const)(
    '%s, min_samples_leaf %s: onnxruntime on the exported nodes agrees with predict() within 1e-5',
    async (kind, minSamplesLeaf) => {
      const train = syntheticData(kind, 1500, 1);
      const test = syntheticData(kind, 500, 2);
      const params = gradientBoosting.parseParams({
        n_estimators: '30',
        subsample: '0.8',
        colsample: '0.8',
        min_samples_leaf: minSamplesLeaf,
      });
      const model = await gradientBoosting.fit(
        { train: train.x, trainTarget: train.y, task: train.task, seed: 7 },
        params,
      );
      await expectOnnxParity(model, test, kind);
      await expectOnnxParity(model, train, kind);
    },
  );

  test('rows too few to split give single-leaf trees, which onnxruntime runs like predict()', async () => {
    const data = syntheticData('multiclass', 30, 9);
    const params = gradientBoosting.parseParams({ n_estimators: '3' });
    const model = await gradientBoosting.fit(
      { train: data.x, trainTarget: data.y, task: data.task, seed: 1 },
      params,
    );
    expect(model.summary.leaves).toBe(model.summary.trees);
    await expectOnnxParity(model, data, 'multiclass');
  });

  test('the same data, params and seed give byte-identical nodes; another seed does not', async () => {
    const data = syntheticData('binary', 800, 3);
    const params = gradientBoosting.parseParams({ n_estimators: '10', subsample: '0.7' });
    const fit = (seed: number) =>
      gradientBoosting.fit({ train: data.x, trainTarget: data.y, task: data.task, seed }, params);
    const bytes = async (seed: number) =>
      buildTestModel((await fit(seed)).toOnnxNodes(TEST_GRAPH_NAMES), data.x.cols, ['label', 'scores']);
    expect(Buffer.from(await bytes(5)).equals(Buffer.from(await bytes(5)))).toBe(true);
    expect(Buffer.from(await bytes(5)).equals(Buffer.from(await bytes(6)))).toBe(false);
  });

  test.each(['1', '2'])(
    'with n_threads=%s, rows enough for the helper thread give byte-identical nodes on every fit',
    async (threads) => {
      // 9,000 rows: nodes of PARALLEL_NODE_ROWS (8,192) rows or more are split between the threads.
      const data = syntheticData('binary', 9000, 31);
      const params = gradientBoosting.parseParams({ n_estimators: '5', max_depth: '4', n_threads: threads });
      const bytes = async () =>
        buildTestModel(
          (
            await gradientBoosting.fit(
              { train: data.x, trainTarget: data.y, task: data.task, seed: 2 },
              params,
            )
          ).toOnnxNodes(TEST_GRAPH_NAMES),
          data.x.cols,
          ['label', 'scores'],
        );
      expect(Buffer.from(await bytes()).equals(Buffer.from(await bytes()))).toBe(true);
    },
  );

  test('early stopping on the validation split stops when the validation loss stalls and records the curve', async () => {
    const train = syntheticData('binary', 2000, 4);
    const validation = syntheticData('binary', 600, 5);
    const params = gradientBoosting.parseParams({
      n_estimators: '500',
      early_stopping: 'true',
      n_iter_no_change: '5',
    });
    const model = await gradientBoosting.fit(
      {
        train: train.x,
        trainTarget: train.y,
        validation: validation.x,
        validationTarget: validation.y,
        task: train.task,
        seed: 1,
      },
      params,
    );
    const curve = model.summary.curve!;
    expect(model.summary.stoppedEarly).toBe(true);
    expect(curve.length).toBeLessThan(500);
    expect(curve[0].trainLoss).toBeGreaterThan(curve[curve.length - 1].trainLoss);
    const best = Math.min(...curve.map((point) => point.validationLoss!));
    expect(curve.slice(-5).every((point) => point.validationLoss! >= best)).toBe(true);
  });

  test('early_stopping auto stays off on small data; forced without a validation split it holds out 10%', async () => {
    const data = syntheticData('regression', 1000, 6);
    const input = { train: data.x, trainTarget: data.y, task: data.task, seed: 2 };
    const auto = await gradientBoosting.fit(input, gradientBoosting.parseParams({ n_estimators: '20' }));
    expect(auto.summary).toMatchObject({ earlyStopping: false, iterations: 20, validationRows: 0 });
    const forced = await gradientBoosting.fit(
      input,
      gradientBoosting.parseParams({ n_estimators: '20', early_stopping: 'true' }),
    );
    expect(forced.summary).toMatchObject({ earlyStopping: true, trainRows: 900, validationRows: 100 });
  });

  test('max_depth and max_leaf_nodes bound every tree', async () => {
    const data = syntheticData('regression', 2000, 8);
    const input = { train: data.x, trainTarget: data.y, task: data.task, seed: 2 };
    const deep = await gradientBoosting.fit(
      input,
      gradientBoosting.parseParams({
        n_estimators: '5',
        max_depth: '2',
        max_leaf_nodes: 'none',
        min_samples_leaf: '1',
      }),
    );
    expect(deep.summary.leaves).toBe(5 * 4);
    const wide = await gradientBoosting.fit(
      input,
      gradientBoosting.parseParams({ n_estimators: '5', max_leaf_nodes: '7', min_samples_leaf: '1' }),
    );
    expect(wide.summary.leaves).toBe(5 * 7);
  });

  test('params: sklearn-like defaults, documented, and InputError naming the key', () => {
    expect(gradientBoosting.parseParams({})).toEqual(gradientBoosting.defaults);
    expect(Object.keys(gradientBoosting.paramDescriptions!).sort()).toEqual(
      Object.keys(gradientBoosting.defaults).sort(),
    );
    expect(
      gradientBoosting.parseParams({ n_estimators: '7', max_depth: 'none', early_stopping: 'false' }),
    ).toMatchObject({
      n_estimators: 7,
      max_depth: null,
      early_stopping: false,
    });
    expect(() => gradientBoosting.parseParams({ learning_rat: '0.1' })).toThrow(InputError);
    expect(() => gradientBoosting.parseParams({ learning_rat: '0.1' })).toThrow(
      /key "learning_rat".*valid parameters: .*learning_rate.*n_estimators/,
    );
    expect(() => gradientBoosting.parseParams({ max_depth: '2.5' })).toThrow(/key "max_depth"/);
    expect(() => gradientBoosting.parseParams({ subsample: '0' })).toThrow(/key "subsample"/);
  });
});
