// Bundles the CLI and one file per action entry (src/actions/*.ts) into dist/ (or --outdir DIR).
// The native packages stay external: the action's runtime step installs them next to dist/.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

export const NATIVE_PACKAGES = ['onnxruntime-node', '@duckdb/node-api'];

const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? process.argv[outdirFlag + 1] : 'dist';

const actionEntries = readdirSync('src/actions')
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ in: join('src/actions', file), out: basename(file, '.ts') }));

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [{ in: 'src/cli/main.ts', out: 'cli' }, ...actionEntries],
  outdir,
  bundle: true,
  splitting: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: NATIVE_PACKAGES,
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies call require(); ESM output needs one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
});
