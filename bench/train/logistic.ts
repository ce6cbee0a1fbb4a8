/**
 * Logistic regression on 1M demo rows against sklearn's LogisticRegression (lbfgs) on the same
 * split and the same encoded matrix, in the same run; prints the time ratio and both AUCs.
 * Also times the whole `trainBuiltIn` pipeline (read CSV → split → fit → ONNX export + check).
 * Run: npm run bench -- train/logistic --rows N
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
import { logisticRegression } from '../../src/core/train/linear/logistic-regression.js';
import { trainBuiltIn } from '../../src/core/train/pipeline.js';
import { buildDesignMatrix, fitPreprocessing } from '../../src/core/train/preprocess.js';
import { splitRows } from '../../src/core/train/split.js';
import { rocAuc } from '../../src/core/train/validation-metrics.js';

const rowsFlag = process.argv.indexOf('--rows');
const ROWS = rowsFlag > 0 ? Number(process.argv[rowsFlag + 1]) : 1_000_000;
const WORK = join('bench', '.work', `logistic-${ROWS}`);
const TARGET = DEMO_TARGETS.classification;

async function demoFile(): Promise<string> {
  const csv = join(WORK, 'weather.csv');
  if (!existsSync(csv)) await writeDemoData({ dir: WORK, rows: ROWS, seed: 42, layout: 'single' });
  return csv;
}

async function encodedRows(csv: string) {
  const started = performance.now();
  const source = await openDataSource(csv);
  try {
    const { features } = selectFeatures(source.columns, TARGET, [...DEMO_FEATURES], csv);
    const table = await loadColumns(source, features, { name: TARGET, kind: 'numeric' });
    const loadSeconds = (performance.now() - started) / 1000;
    const y = table.target.values as Float64Array;
    const split = splitRows(table.rows, 0.2, 42, y);
    const plan = fitPreprocessing(table, features, split.train, { scale: true });
    const part = (rows: Int32Array) => ({
      x: buildDesignMatrix(table, features, plan, rows),
      y: Float64Array.from(rows, (row) => y[row]),
    });
    return { loadSeconds, train: part(split.train), validation: part(split.validation) };
  } finally {
    source.close();
  }
}

async function main() {
  const csv = await demoFile();
  const data = await encodedRows(csv);
  await mkdir(WORK, { recursive: true });
  const bytes = (values: Float64Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  await writeFile(join(WORK, 'train-x.f64'), bytes(data.train.x.values));
  await writeFile(join(WORK, 'train-y.f64'), bytes(data.train.y));
  await writeFile(join(WORK, 'validation-x.f64'), bytes(data.validation.x.values));
  await writeFile(join(WORK, 'validation-y.f64'), bytes(data.validation.y));
  await writeFile(join(WORK, 'shape.json'), JSON.stringify({ cols: data.train.x.cols }));

  const params = logisticRegression.defaults;
  const started = performance.now();
  const fitted = await logisticRegression.fit(
    { train: data.train.x, trainTarget: data.train.y, task: { kind: 'binary', classCount: 2 }, seed: 42 },
    params,
  );
  const oursSeconds = (performance.now() - started) / 1000;
  const probabilities = fitted.predict(data.validation.x);
  const positive = Float64Array.from(
    { length: data.validation.x.rows },
    (_, row) => probabilities[row * 2 + 1],
  );
  const oursAuc = rocAuc(positive, (row) => data.validation.y[row] === 1);

  const sklearn = JSON.parse(
    execFileSync('/usr/bin/python3', ['bench/train/logistic.py', WORK], { encoding: 'utf8' }),
  );

  const pipelineStarted = performance.now();
  await trainBuiltIn({
    data: csv,
    target: TARGET,
    algorithm: 'logistic-regression',
    features: [...DEMO_FEATURES],
    params: {},
    seed: 42,
  });
  const pipelineSeconds = (performance.now() - pipelineStarted) / 1000;

  console.log(
    `rows: ${ROWS} (${data.train.x.rows} train × ${data.train.x.cols} encoded columns, ${data.validation.x.rows} validation)`,
  );
  console.log(`load (DuckDB → typed arrays): ${data.loadSeconds.toFixed(2)} s`);
  console.log(
    `ours  fit: ${oursSeconds.toFixed(2)} s, ${fitted.summary.iterations} iterations, AUC ${oursAuc.toFixed(5)}`,
  );
  console.log(
    `sklearn fit: ${sklearn.seconds.toFixed(2)} s, ${sklearn.iterations} iterations, AUC ${sklearn.auc.toFixed(5)} (sklearn ${sklearn.sklearn})`,
  );
  console.log(`time ratio ours/sklearn: ${(oursSeconds / sklearn.seconds).toFixed(2)} (goal ≤ 1)`);
  console.log(`AUC difference ours − sklearn: ${(oursAuc - sklearn.auc).toFixed(5)} (goal |Δ| ≤ 0.002)`);
  console.log(
    `whole pipeline (mlops train: read, split, fit, export, ORT check): ${pipelineSeconds.toFixed(2)} s`,
  );
}

await main();
