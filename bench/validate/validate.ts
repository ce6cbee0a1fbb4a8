// bench/validate: contract + profile + drift of a large demo CSV, timed against pandas (read_csv +
// describe + quantiles) on the same file in the same run; prints the ratio and mlops' peak RSS.
//   npm run bench -- validate [--rows 2000000] [--gb 1]     (--gb N: also measure peak RSS on an N GB file)
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDemoData } from '../../examples/demo-data/write.js';
import { validateData } from '../../src/core/data/validate.js';

const WORK = 'bench/.work/validate';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

/** In a child process: one validate-data run, reporting its time and peak RSS. */
async function child(): Promise<void> {
  const [data, contract, reference] = process.argv.slice(3);
  const started = performance.now();
  const { validation } = await validateData({ data, contract, reference });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      seconds,
      rows: validation.data.rows,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      failed: validation.failedRules.length,
      drifted: validation.driftedColumns.length,
    }),
  );
}

function runJson(command: string, args: string[]): Record<string, number> {
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

async function ensureData(rows: number, name: string): Promise<string> {
  const dir = join(WORK, name);
  const file = join(dir, 'weather.csv');
  const marker = join(dir, `rows-${rows}`);
  if (!existsSync(marker)) {
    console.log(`generating ${rows} rows → ${file}`);
    await writeDemoData({ dir, rows, seed: 7, layout: 'single' });
    writeFileSync(marker, '');
  }
  return file;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child();
  await mkdir(WORK, { recursive: true });
  const rows = flag('rows', 2_000_000);
  const data = await ensureData(rows, `rows-${rows}`);
  // Reference and contract: the demo's reference sample, and a contract inferred from it.
  const demo = join(WORK, 'demo');
  if (!existsSync(join(demo, 'reference.csv')))
    await writeDemoData({ dir: demo, rows: 20000, seed: 42, layout: 'splits' });
  const reference = join(demo, 'reference.csv');
  const contract = join(demo, 'contract.json');
  const inferred = await validateData({ data: reference, inferContract: true });
  writeFileSync(contract, JSON.stringify(inferred.inferredContract, null, 2));

  const mb = statSync(data).size / 1e6;
  console.log(
    `data: ${data} (${rows} rows, ${mb.toFixed(0)} MB); reference ${reference}; contract ${contract}`,
  );
  const ours = runJson(process.execPath, [process.argv[1], '--child', data, contract, reference]);
  console.log(
    `mlops validate-data (contract + profile + drift): ${ours.seconds.toFixed(2)} s, peak RSS ${ours.maxRssMb.toFixed(0)} MB (${ours.failed} failed rules, ${ours.drifted} drifted columns)`,
  );
  const pandas = runJson('/usr/bin/python3', ['bench/validate/anchor_pandas.py', data]);
  console.log(`pandas read_csv + describe + quantiles:         ${pandas.seconds.toFixed(2)} s`);
  console.log(
    `ratio: mlops is ${(pandas.seconds / ours.seconds).toFixed(2)}x the speed of pandas (goal ≥ 3x)`,
  );

  const gb = flag('gb', 0);
  if (gb > 0) {
    const bigRows = Math.round((rows * gb * 1e9) / statSync(data).size);
    const big = await ensureData(bigRows, `rows-${bigRows}`);
    const size = statSync(big).size / 1e9;
    const run = runJson(process.execPath, [process.argv[1], '--child', big, contract, reference]);
    console.log(
      `${size.toFixed(2)} GB file (${bigRows} rows): ${run.seconds.toFixed(1)} s, peak RSS ${run.maxRssMb.toFixed(0)} MB (goal ≤ 1024 MB)`,
    );
  }
}

await main();
