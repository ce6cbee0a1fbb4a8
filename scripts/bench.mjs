// Runs the benchmarks: every bench/<area>/<name>.ts, bundled with esbuild into bench/.work/ and run with node.
//   npm run bench                       all of them, in order
//   npm run bench -- evaluate           one area (or area/name), extra flags passed through: -- evaluate --rows 100000
// Each benchmark prints its own ratios against its anchor tool measured in the same run.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const [filter, ...passThrough] = process.argv.slice(2);
const entries = readdirSync('bench')
  .filter((area) => area !== '.work' && statSync(join('bench', area)).isDirectory())
  .flatMap((area) =>
    readdirSync(join('bench', area))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => ({ id: `${area}/${basename(file, '.ts')}`, area, path: join('bench', area, file) })),
  )
  .filter(({ id, area }) => !filter || filter === area || filter === id);

if (!entries.length) {
  console.error(`no benchmark matches "${filter}"`);
  process.exit(2);
}
let failed = 0;
for (const entry of entries) {
  const outfile = join('bench/.work', `${entry.id.replace('/', '-')}.bench.mjs`);
  await build({
    entryPoints: [entry.path],
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
  console.log(`\n=== bench ${entry.id} ===`);
  const run = spawnSync(process.execPath, [outfile, ...(filter ? passThrough : [])], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
