/**
 * Gradient boosting (100 trees, depth 6) on 1M demo rows against XGBoost hist (2 threads) on the
 * same encoded rows in the same run; prints the time ratio and both test AUCs.
 * Run: npm run bench -- train/boosting [--rows N] [--repeat N]   (the fastest of N runs counts, for each contender; ours also prints the median)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDemoData } from '../../examples/demo-data/write.js';
import { DEMO_FEATURES, DEMO_TARGETS } from '../../examples/demo-data/weather.js';
import { openDataSource } from '../../src/core/data/source.js';
import { selectFeatures } from '../../src/core/train/columns.js';
import { loadColumns } from '../../src/core/train/load-columns.js';
import { buildDesignMatrix, fitPreprocessing } from '../../src/core/train/preprocess.js';
import { gradientBoosting } from '../../src/core/train/trees/gradient-boosting.js';
import { rocAuc } from '../../src/core/train/validation-metrics.js';

const rowsFlag = process.argv.indexOf('--rows');
const ROWS = rowsFlag > 0 ? Number(process.argv[rowsFlag + 1]) : 1_000_000;
const repeatFlag = process.argv.indexOf('--repeat');
const REPEAT = repeatFlag > 0 ? Number(process.argv[repeatFlag + 1]) : 1;
const WORK = join('bench', '.work', `boosting-${ROWS}`);
const TEST_SHARE = 0.2;

async function encodedDemoRows() {
  const csv = join(WORK, 'weather.csv');
  if (!existsSync(csv)) await writeDemoData({ dir: WORK, rows: ROWS, seed: 42, layout: 'single' });
  const source = await openDataSource(csv);
  try {
    const target = DEMO_TARGETS.classification;
    const { features } = selectFeatures(source.columns, target, [...DEMO_FEATURES], csv);
    const table = await loadColumns(source, features, { name: target, kind: 'numeric' });
    // The last 20% of the hours are the test rows (a split in time, as in production).
    const trainCount = Math.round(table.rows * (1 - TEST_SHARE));
    const trainRows = Int32Array.from({ length: trainCount }, (_, i) => i);
    const testRows = Int32Array.from({ length: table.rows - trainCount }, (_, i) => trainCount + i);
    const plan = fitPreprocessing(table, features, trainRows, { scale: false });
    const labels = (rows: Int32Array) => Float64Array.from(rows, (row) => table.target.values[row] as number);
    return {
      train: { x: buildDesignMatrix(table, features, plan, trainRows), y: labels(trainRows) },
      test: { x: buildDesignMatrix(table, features, plan, testRows), y: labels(testRows) },
    };
  } finally {
    source.close();
  }
}

async function writeForPython(data: Awaited<ReturnType<typeof encodedDemoRows>>) {
  const bytes = (values: Float64Array) => new Uint8Array(Float32Array.from(values).buffer);
  await writeFile(join(WORK, 'train-x.f32'), bytes(data.train.x.values));
  await writeFile(join(WORK, 'train-y.f32'), bytes(data.train.y));
  await writeFile(join(WORK, 'test-x.f32'), bytes(data.test.x.values));
  await writeFile(join(WORK, 'test-y.f32'), bytes(data.test.y));
  await writeFile(join(WORK, 'shape.json'), JSON.stringify({ cols: data.train.x.cols }));
}

function positiveAuc(probabilities: Float64Array, y: Float64Array): number {
  const positive = Float64Array.from({ length: y.length }, (_, row) => probabilities[2 * row + 1]);
  return rocAuc(positive, (row) => y[row] === 1);
}

async function main() {
  await mkdir(WORK, { recursive: true });
  const data = await encodedDemoRows();
  await writeForPython(data);
  const x = data.train.x;
  console.log(`rows: train ${x.rows}, test ${data.test.x.rows}; design columns ${x.cols}`);

  const task = { kind: 'binary', classCount: 2 } as const;
  /** XGBoost's settings in our names: depth 6 without a leaf cap, λ = 1, no min rows per leaf. */
  const train = async (threads: number) => {
    const params = gradientBoosting.parseParams({
      n_estimators: '100',
      max_depth: '6',
      max_leaf_nodes: 'none',
      min_samples_leaf: '1',
      l2_regularization: '1',
      early_stopping: 'false',
      n_threads: String(threads),
    });
    const times: number[] = [];
    const aucs = new Set<number>();
    for (let run = 0; run < REPEAT; run++) {
      const started = performance.now();
      const model = await gradientBoosting.fit(
        { train: x, trainTarget: data.train.y, task, seed: 1 },
        params,
      );
      times.push((performance.now() - started) / 1000);
      aucs.add(positiveAuc(model.predict(data.test.x), data.test.y));
    }
    // Training is deterministic for a given n_threads: runs that disagree mean a threading bug.
    if (aucs.size > 1)
      console.log(`WARNING: ${threads} thread(s): test AUC differs between runs: ${[...aucs].join(', ')}`);
    times.sort((a, b) => a - b);
    return { seconds: times[0], median: times[(times.length - 1) >> 1], auc: [...aucs][0] };
  };
  const ours = { 1: await train(1), 2: await train(2) };

  const output = execFileSync(
    '/usr/bin/python3',
    [join('bench', 'train', 'boosting.py'), WORK, String(REPEAT)],
    {
      encoding: 'utf8',
    },
  );
  const [xgboost, xgboostOneThread] = output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { threads: number; seconds: number; auc: number; xgboost: string });

  console.log(
    `xgboost ${xgboost.xgboost} hist (2 threads): ${xgboost.seconds.toFixed(2)} s, test AUC ${xgboost.auc.toFixed(4)}` +
      ` (1 thread: ${xgboostOneThread.seconds.toFixed(2)} s)`,
  );
  for (const [threads, result] of Object.entries(ours)) {
    const ratio = result.seconds / xgboost.seconds;
    const oneThreadRatio = result.seconds / xgboostOneThread.seconds;
    const aucDelta = result.auc - xgboost.auc;
    console.log(
      `ours gradient-boosting (${threads} thread${threads === '1' ? '' : 's'}): ${result.seconds.toFixed(2)} s ` +
        `(median ${result.median.toFixed(2)} s), ` +
        `test AUC ${result.auc.toFixed(4)}; time ours/xgboost ${ratio.toFixed(2)}x ` +
        `(against 1-thread xgboost ${oneThreadRatio.toFixed(2)}x), AUC ours-xgboost ${aucDelta.toFixed(4)}`,
    );
  }
  console.log('goal: time ratio <= 1.00x, |AUC difference| <= 0.002');
}

await main();
