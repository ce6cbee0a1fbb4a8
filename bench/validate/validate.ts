// bench/validate: contract + profile + drift of a large demo CSV, timed against pandas (read_csv +
// describe + quantiles) on the same file in the same run; prints the ratio and mlops' peak RSS.
// Two contracts: the one drafted from the demo's reference sample (some rules fail on the large file,
// so example rows are looked up) and one drafted from the large file itself (every rule passes).
// Each is run --runs times (interleaved with pandas), medians reported.
//   npm run bench -- validate [--rows 2000000] [--runs 3] [--gb 1]   (--gb N: also peak RSS on an N GB file)
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
  const usage = process.resourceUsage();
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      rows: validation.data.rows,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      failed: validation.failedRules.length,
      drifted: validation.driftedColumns.length,
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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

  const passing = join(WORK, `rows-${rows}`, 'contract-passing.json');
  if (!existsSync(passing)) {
    const drafted = await validateData({ data, inferContract: true });
    writeFileSync(passing, JSON.stringify(drafted.inferredContract, null, 2));
  }

  const mb = statSync(data).size / 1e6;
  console.log(`data: ${data} (${rows} rows, ${mb.toFixed(0)} MB); reference ${reference}`);
  const runs = flag('runs', 3);
  const timings: Record<string, Record<string, number>[]> = { failing: [], passing: [], pandas: [] };
  for (let run = 0; run < runs; run++) {
    timings.failing.push(runJson(process.execPath, [process.argv[1], '--child', data, contract, reference]));
    timings.passing.push(runJson(process.execPath, [process.argv[1], '--child', data, passing, reference]));
    timings.pandas.push(runJson('/usr/bin/python3', ['bench/validate/anchor_pandas.py', data]));
  }
  const pandas = median(timings.pandas.map((run) => run.seconds));
  console.log(`pandas read_csv + describe + quantiles: ${pandas.toFixed(2)} s (median of ${runs})`);
  for (const [label, file] of [
    ['failing', contract],
    ['passing', passing],
  ] as const) {
    const ours = timings[label];
    const seconds = median(ours.map((run) => run.seconds));
    const cpuSeconds = median(ours.map((run) => run.cpuSeconds));
    console.log(
      `mlops validate-data, ${label} contract ${file}: ${seconds.toFixed(2)} s (median of ${runs}; ${cpuSeconds.toFixed(2)} CPU-s), peak RSS ${Math.max(...ours.map((run) => run.maxRssMb)).toFixed(0)} MB (${ours[0].failed} failed rules, ${ours[0].drifted} drifted columns); ${(pandas / seconds).toFixed(2)}x the speed of pandas (goal ≥ 3x)`,
    );
  }

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
