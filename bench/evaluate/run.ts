// bench/evaluate: full `evaluate` (scoring, 1,000-resample intervals, curves, latency) against bare
// onnxruntime inference over the same rows, in the same run. Goal: ratio ≤ 2.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const rows = flag('rows', 1_000_000);
const resamples = flag('resamples', 1000);
const dir = join('bench/.work/evaluate', String(rows));
const data = join(dir, 'weather.csv');
const model = join('bench/.work/evaluate', 'trees-100x6.onnx');

if (!existsSync(data)) await writeDemoData({ dir, rows, seed: 42, layout: 'single' });
if (!existsSync(model)) {
  const made = spawnSync('/usr/bin/python3', ['bench/evaluate/make_tree_model.py', model], {
    stdio: 'inherit',
  });
  if (made.status !== 0) throw new Error('could not build the tree model (needs /usr/bin/python3 with onnx)');
}

// Bare: DuckDB batches → onnxruntime, predictions kept, nothing else.
const bareStart = performance.now();
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
const bareMs = performance.now() - bareStart;
const runOnlyMs = scored.models[0].inferenceMs;
await session.release();
source.close();

const fullStart = performance.now();
const { document } = await evaluate({
  model,
  data,
  target: 'rain_within_4h',
  slices: [],
  bootstrap: { resamples, seed: 1 },
});
const fullMs = performance.now() - fullStart;

console.log(`rows ${document.n}, 100 trees of depth 6, ${resamples} bootstrap resamples`);
console.log(
  `bare scoring (DuckDB batches + onnxruntime): ${(bareMs / 1000).toFixed(2)} s (session.run alone ${(runOnlyMs / 1000).toFixed(2)} s)`,
);
console.log(`full evaluate incl. intervals, curves, latency: ${(fullMs / 1000).toFixed(2)} s`);
console.log(
  `ratio full / bare scoring: ${(fullMs / bareMs).toFixed(2)}x (goal ≤ 2x); full / session.run alone: ${(fullMs / runOnlyMs).toFixed(2)}x`,
);
console.log(`roc_auc ${document.metrics.roc_auc.value} [${document.metrics.roc_auc.interval}]`);
