// Bundles bench/evaluate/run.ts (TypeScript, like the sources it measures) and runs it.
//   node bench/evaluate/run.mjs [--rows 1000000] [--resamples 1000] [--repeat 1]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

const outfile = 'bench/.work/evaluate.bench.mjs';
await build({
  entryPoints: ['bench/evaluate/run.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['onnxruntime-node', '@duckdb/node-api'],
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
