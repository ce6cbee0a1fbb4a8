// bench/validate: contract + profile + drift of a large demo CSV, timed against pandas (read_csv +
// describe + quantiles) on the same file in the same run; prints the ratio and mlops' peak RSS.
// Two contracts: the one drafted from the demo's reference sample (some rules fail on the large file,
// so example rows are looked up) and one drafted from the large file itself (every rule passes).
// Each is run --runs times (interleaved with pandas), medians reported. The demo's measurements have
// two decimals, so a numeric column holds a few thousand distinct values; real sensor data rarely
// does: a third file jitters every real-valued column below its second decimal (millions of distinct
// values per column) and is timed against pandas the same way.
//   npm run bench -- validate [--rows 2000000] [--runs 3] [--gb 1]   (--gb N: also peak RSS on an N GB file)
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDemoData } from '../../examples/demo-data/write.js';
import { openEngine } from '../../src/core/data/reader.js';
import { sqlString } from '../../src/core/data/source.js';
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

const REAL_VALUED = [
  'temperature_c',
  'humidity',
  'wind_speed_kmph',
  'visibility_km',
  'pressure_millibars',
  'temperature_in_4h_c',
];

/** The demo file with every real-valued column jittered below its second decimal (deterministic: a hash of the row's key). */
async function realValued(demoFile: string, rows: number): Promise<string> {
  const file = join(WORK, `real-valued-${rows}`, 'weather.csv');
  if (existsSync(file)) return file;
  await mkdir(join(WORK, `real-valued-${rows}`), { recursive: true });
  console.log(`writing ${file}`);
  const engine = await openEngine();
  try {
    const jitter = (column: string) =>
      `${column} + (hash(timestamp, station, '${column}') % 1000000) / 1e8 AS ${column}`;
    const columns = (
      await engine.connection.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${sqlString(demoFile)})`)
    )
      .getRows()
      .map((row) => String(row[0]));
    const select = columns.map((name) => (REAL_VALUED.includes(name) ? jitter(name) : name)).join(', ');
    await engine.connection.run(
      `COPY (SELECT ${select} FROM read_csv(${sqlString(demoFile)})) TO ${sqlString(file)} (HEADER, FORMAT csv)`,
    );
  } finally {
    await engine.close();
  }
  return file;
}

/** A contract drafted from the file itself (every rule passes), written once beside it. */
async function passingContract(data: string): Promise<string> {
  const contract = join(data, '..', 'contract-passing.json');
  if (!existsSync(contract)) {
    const drafted = await validateData({ data, inferContract: true });
    writeFileSync(contract, JSON.stringify(drafted.inferredContract, null, 2));
  }
  return contract;
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

  const passing = await passingContract(data);
  const real = await realValued(data, rows);
  const realPassing = await passingContract(real);

  const mb = statSync(data).size / 1e6;
  console.log(`data: ${data} (${rows} rows, ${mb.toFixed(0)} MB); reference ${reference}`);
  const runs = flag('runs', 3);
  const timings: Record<string, Record<string, number>[]> = {
    failing: [],
    passing: [],
    pandas: [],
    real: [],
    pandasReal: [],
  };
  for (let run = 0; run < runs; run++) {
    timings.failing.push(runJson(process.execPath, [process.argv[1], '--child', data, contract, reference]));
    timings.passing.push(runJson(process.execPath, [process.argv[1], '--child', data, passing, reference]));
    timings.pandas.push(runJson('/usr/bin/python3', ['bench/validate/anchor_pandas.py', data]));
    timings.real.push(runJson(process.execPath, [process.argv[1], '--child', real, realPassing, reference]));
    timings.pandasReal.push(runJson('/usr/bin/python3', ['bench/validate/anchor_pandas.py', real]));
  }
  const report = (label: string, ours: Record<string, number>[], pandas: number) => {
    const seconds = median(ours.map((run) => run.seconds));
    const cpuSeconds = median(ours.map((run) => run.cpuSeconds));
    console.log(
      `mlops validate-data, ${label}: ${seconds.toFixed(2)} s (median of ${runs}; ${cpuSeconds.toFixed(2)} CPU-s), peak RSS ${Math.max(...ours.map((run) => run.maxRssMb)).toFixed(0)} MB (${ours[0].failed} failed rules, ${ours[0].drifted} drifted columns); ${(pandas / seconds).toFixed(2)}x the speed of pandas (goal ≥ 3x)`,
    );
  };
  const pandas = median(timings.pandas.map((run) => run.seconds));
  console.log(`pandas read_csv + describe + quantiles: ${pandas.toFixed(2)} s (median of ${runs})`);
  report(`failing contract ${contract}`, timings.failing, pandas);
  report(`passing contract ${passing}`, timings.passing, pandas);
  const pandasReal = median(timings.pandasReal.map((run) => run.seconds));
  console.log(
    `real-valued file ${real} (${(statSync(real).size / 1e6).toFixed(0)} MB): pandas ${pandasReal.toFixed(2)} s (median of ${runs})`,
  );
  report(`real-valued file, passing contract ${realPassing}`, timings.real, pandasReal);

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
