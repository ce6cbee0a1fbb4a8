import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoData } from '../../../examples/demo-data/write.js';
import { DEMO_TARGETS } from '../../../examples/demo-data/weather.js';
import { InputError } from '../../../src/core/errors.js';
import type { FitInput } from '../../../src/core/train/model-types.js';
import { randomForest } from '../../../src/core/train/trees/random-forest.js';
import { runCli } from '../../support/run-bundle.js';
import { TEST_GRAPH_NAMES } from './onnx-harness.js';
import { syntheticData } from './synthetic.js';

/** sha256 of the estimator's ONNX nodes (attributes included): the forest's shape and every stored number. */
async function forestHash(input: FitInput, raw: Record<string, string>): Promise<string> {
  const model = await randomForest.fit(input, randomForest.parseParams(raw));
  return createHash('sha256')
    .update(JSON.stringify(model.toOnnxNodes(TEST_GRAPH_NAMES)))
    .digest('hex');
}

function fitInput(kind: 'binary' | 'multiclass' | 'regression'): FitInput {
  const data = syntheticData(kind, 600, 21);
  return { train: data.x, trainTarget: data.y, task: data.task, seed: 4 };
}

describe('random-forest max_total_nodes', () => {
  // Hashes of these forests as the code grew them before max_total_nodes existed: the limit must not
  // change any forest that stays under it.
  test.each([
    ['binary', 'e7c3de128660965b840488f0bfddc8a4f04c74dbe8c741871019ee1a665e96a3'],
    ['multiclass', '9408cc34dc7117f0be8ca88353d6a2ba9b30896abce01ec4f060af6282f1f3e7'],
    ['regression', '82670eedd23cb5a42e9be1b554443608a58ac0dba80b9db87d75d74b225cb501'],
  ] as const)(
    '%s: a forest under the default limit has the same nodes as before the limit',
    async (kind, hash) => {
      expect(await forestHash(fitInput(kind), { n_estimators: '8' })).toBe(hash);
    },
  );

  test('a limit equal to the forest size gives the same forest; one node less stops with the fix', async () => {
    const input = fitInput('binary');
    const model = await randomForest.fit(input, randomForest.parseParams({ n_estimators: '8' }));
    const total = 2 * (model.summary.leaves as number) - 8;
    expect(await forestHash(input, { n_estimators: '8', max_total_nodes: String(total) })).toBe(
      await forestHash(input, { n_estimators: '8' }),
    );
    const tooSmall = randomForest.parseParams({ n_estimators: '8', max_total_nodes: String(total - 1) });
    await expect(randomForest.fit(input, tooSmall)).rejects.toThrow(InputError);
    await expect(randomForest.fit(input, tooSmall)).rejects.toThrow(
      new RegExp(
        `key "max_total_nodes": random-forest would exceed ${(total - 1).toLocaleString('en-US')} nodes .*at tree 8 of 8`,
      ),
    );
  });

  test('the error says how big the model would be and which params bound it', async () => {
    const params = randomForest.parseParams({ n_estimators: '8', max_total_nodes: '100' });
    await expect(randomForest.fit(fitInput('regression'), params)).rejects.toThrow(
      /would exceed 100 nodes \(~0\.0026 MB of ONNX, ~0\.032 MB of memory to export\) at tree 1 of 8; .*max_depth \(e\.g\. 12\), min_samples_leaf .* n_estimators lower, or raise max_total_nodes/,
    );
  });

  test.each(['0', '-5', '2.5', 'none', 'lots', '', '40000001'])(
    'max_total_nodes=%p is rejected naming the key',
    (value) => {
      expect(() => randomForest.parseParams({ max_total_nodes: value })).toThrow(InputError);
      expect(() => randomForest.parseParams({ max_total_nodes: value })).toThrow(
        /key "max_total_nodes": expected (a number|an integer in \[1, 40000000\]), got/,
      );
    },
  );

  test('through the CLI: exit 2 with the message, and nothing written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rf-node-budget-'));
    try {
      const { train } = await writeDemoData({ dir, rows: 2000, seed: 7, layout: 'splits' });
      const out = join(dir, 'out');
      const { exitCode, stderr } = await runCli([
        'train',
        '--data',
        train.path,
        '--target',
        DEMO_TARGETS.classification,
        '--algorithm',
        'random-forest',
        '--param',
        'max_total_nodes=1000',
        '--out',
        out,
      ]);
      expect(exitCode).toBe(2);
      expect(stderr).toMatch(
        /key "max_total_nodes": random-forest would exceed 1,000 nodes .* at tree \d+ of 100;/,
      );
      expect(stderr).not.toMatch(/\n\s+at /);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
