// Bundles bench/train/logistic.ts (TypeScript, like the sources it measures) and runs it.
// Run: node bench/train/logistic.mjs [--rows N]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

const outfile = 'bench/.work/logistic.bench.mjs';
await build({
  entryPoints: ['bench/train/logistic.ts'],
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
