import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoData } from '../../../examples/demo-data/write.js';
import { DEMO_TARGETS } from '../../../examples/demo-data/weather.js';
import { trainBuiltIn } from '../../../src/core/train/pipeline.js';

/** The whole pipeline around the tree estimators: raw demo columns in, preprocessing and trees in one graph. */
describe('tree estimators through the training pipeline', () => {
  let dir: string;
  let data: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trees-pipeline-'));
    data = (await writeDemoData({ dir, rows: 1500, seed: 3, layout: 'splits' })).train.path;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test.each([
    ['gradient-boosting', DEMO_TARGETS.classification],
    ['gradient-boosting', DEMO_TARGETS.regression],
    ['random-forest', DEMO_TARGETS.classification],
    ['random-forest', DEMO_TARGETS.regression],
  ])(
    '%s on %s: the exported graph matches predict() and the same seed gives the same bytes',
    async (algorithm, target) => {
      const options = { data, target, algorithm, params: { n_estimators: '20' }, seed: 5 };
      const first = await trainBuiltIn(options);
      const second = await trainBuiltIn(options);
      expect(first.training.exportCheck.maxDifference).toBeLessThanOrEqual(1e-5);
      expect(Buffer.from(second.model).equals(Buffer.from(first.model))).toBe(true);
      expect(first.training.curve?.length ?? 0).toBe(algorithm === 'gradient-boosting' ? 20 : 0);
    },
  );
});
