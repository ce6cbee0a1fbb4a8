// bench/evaluate: full `evaluate` (scoring, 1,000-resample intervals, curves, latency) against bare
// onnxruntime inference over the same rows, in the same run. Goal: ratio ≤ 2. The model: our own
// gradient boosting, 100 trees of depth 6, trained once on 100,000 demo rows and cached.
// Run: npm run bench -- evaluate [--rows 1000000] [--resamples 1000] [--repeat 1]
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeDemoData } from '../../examples/demo-data/write.js';
import { openDataSource } from '../../src/core/data/source.js';
import { evaluate } from '../../src/core/evaluate/evaluate.js';
import { bindInputs } from '../../src/core/evaluate/input-binding.js';
import { bindOutputs } from '../../src/core/evaluate/output-binding.js';
import { scoreData } from '../../src/core/evaluate/score.js';
import { createSession } from '../../src/core/evaluate/session.js';
import { loadModel } from '../../src/core/onnx/load-model.js';
import { runTraining } from '../../src/core/train/run-training.js';

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const rows = flag('rows', 1_000_000);
const resamples = flag('resamples', 1000);
const repeat = flag('repeat', 1);
const dataFor = async (count: number) => {
  const dir = join('bench/.work/evaluate', String(count));
  const file = join(dir, 'weather.csv');
  if (!existsSync(file)) await writeDemoData({ dir, rows: count, seed: 42, layout: 'single' });
  return file;
};
const data = await dataFor(rows);
const modelDir = 'bench/.work/evaluate/gradient-boosting-100x6';
const model = join(modelDir, 'model.onnx');
if (!existsSync(model)) {
  await runTraining({
    data: await dataFor(100_000),
    target: 'rain_within_4h',
    algorithm: 'gradient-boosting',
    params: ['n_estimators=100', 'max_depth=6', 'max_leaf_nodes=none', 'early_stopping=false'],
    seed: '7',
    out: modelDir,
    env: {},
  });
}

// Bare: DuckDB batches → onnxruntime, predictions kept, nothing else.
async function bare(): Promise<{ ms: number; runMs: number }> {
  const start = performance.now();
  const loaded = await loadModel(model);
  const source = await openDataSource(data);
  const outputs = bindOutputs(loaded);
  const session = await createSession(loaded, []);
  const scored = await scoreData({
    source,
    target: 'rain_within_4h',
    classes: outputs.task === 'classification' ? outputs.classes : null,
    runs: [{ model: loaded, session, inputs: bindInputs(loaded, source.columns, data), outputs }],
    sliceColumns: [],
  });
  const ms = performance.now() - start;
  await session.release();
  source.close();
  return { ms, runMs: scored.models[0].inferenceMs };
}

async function full() {
  const start = performance.now();
  const { document } = await evaluate({
    model,
    data,
    target: 'rain_within_4h',
    slices: [],
    bootstrap: { resamples, seed: 1 },
  });
  return { ms: performance.now() - start, document };
}

// On a shared machine one run is noise: `--repeat N` alternates bare and full N times and reports
// the medians, so both see the same load.
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bares: { ms: number; runMs: number }[] = [];
const fulls: Awaited<ReturnType<typeof full>>[] = [];
for (let i = 0; i < repeat; i++) {
  bares.push(await bare());
  fulls.push(await full());
}
const bareMs = median(bares.map((run) => run.ms));
const runOnlyMs = median(bares.map((run) => run.runMs));
const fullMs = median(fulls.map((run) => run.ms));
const { document } = fulls[0];
const seconds = (ms: number) => (ms / 1000).toFixed(2);

console.log(
  `rows ${document.n}, our gradient boosting (100 trees of depth 6), ${resamples} bootstrap resamples, median of ${repeat}`,
);
console.log(
  `bare scoring (DuckDB batches + onnxruntime): ${seconds(bareMs)} s (session.run alone ${seconds(runOnlyMs)} s)`,
);
console.log(`full evaluate incl. intervals, curves, latency: ${seconds(fullMs)} s`);
console.log(
  `ratio full / bare scoring: ${(fullMs / bareMs).toFixed(2)}x (goal ≤ 2x); full / session.run alone: ${(fullMs / runOnlyMs).toFixed(2)}x`,
);
if (repeat > 1) {
  // Each full run against the bare run just before it: load that comes and goes hits both alike.
  const pairRatios = fulls.map((run, i) => run.ms / bares[i].ms);
  console.log(
    `runs: bare ${bares.map((run) => seconds(run.ms)).join(', ')} s; full ${fulls.map((run) => seconds(run.ms)).join(', ')} s; ratios ${pairRatios.map((ratio) => ratio.toFixed(2)).join(', ')} (median ${median(pairRatios).toFixed(2)}x)`,
  );
}
console.log(
  `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`,
);
console.log(`roc_auc ${document.metrics.roc_auc.value} [${document.metrics.roc_auc.interval}]`);
