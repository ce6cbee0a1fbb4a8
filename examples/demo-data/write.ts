import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { SeededRandom } from '../../src/core/random.js';
import {
  DEMO_COLUMNS,
  PRODUCTION_SCENARIO,
  TRAINING_SCENARIO,
  generateWeather,
  type DemoRow,
} from './weather.js';

export interface DemoDataOptions {
  dir: string;
  /** Rows of train + test (the production sample adds 20% more). */
  rows: number;
  seed: number;
  /** `splits`: train/test/reference/production files; `single`: one weather.csv of `rows` rows (benchmarks). */
  layout: 'splits' | 'single';
}

export interface DemoDataFiles {
  [name: string]: { path: string; rows: number };
}

const TRAIN_SHARE = 0.7;
const REFERENCE_ROWS = 5000;
const CHUNK_ROWS = 4096;

/** A CSV file written in chunks with backpressure, under a temp name until it is complete. */
class CsvSink {
  private buffer: string[] = [];
  private readonly stream: WriteStream;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly tempPath: string,
  ) {
    this.stream = createWriteStream(tempPath);
    this.stream.write(`${DEMO_COLUMNS.join(',')}\n`);
  }

  async push(row: DemoRow): Promise<void> {
    this.buffer.push(row.map((value) => value ?? '').join(','));
    this.rows++;
    if (this.buffer.length >= CHUNK_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const ok = this.stream.write(`${this.buffer.join('\n')}\n`);
    this.buffer = [];
    if (!ok) await once(this.stream, 'drain');
  }

  async finish(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    await rename(this.tempPath, this.path);
  }

  async abandon(): Promise<void> {
    this.stream.destroy();
    await rm(this.tempPath, { force: true });
  }
}

/** Writes the demo weather data set; the same rows and seed give byte-identical files. */
export async function writeDemoData({ dir, rows, seed, layout }: DemoDataOptions): Promise<DemoDataFiles> {
  await mkdir(dir, { recursive: true });
  const names = layout === 'single' ? ['weather'] : ['train', 'test', 'reference', 'production'];
  const sinks = Object.fromEntries(
    names.map((name) => [name, new CsvSink(join(dir, `${name}.csv`), join(dir, `.${name}.csv.tmp`))]),
  );
  try {
    if (layout === 'single') {
      for (const row of generateWeather(rows, seed, TRAINING_SCENARIO)) await sinks.weather.push(row);
    } else {
      await writeSplits(sinks, rows, seed);
    }
    for (const sink of Object.values(sinks)) await sink.finish();
  } catch (error) {
    for (const sink of Object.values(sinks)) await sink.abandon();
    throw error;
  }
  return Object.fromEntries(
    Object.entries(sinks).map(([name, sink]) => [name, { path: sink.path, rows: sink.rows }]),
  );
}

/** Whole days go to train or test (no hour of a day on both sides); reference samples train; production drifts. */
async function writeSplits(sinks: Record<string, CsvSink>, rows: number, seed: number): Promise<void> {
  const splitRandom = new SeededRandom(seed ^ 0x5eed);
  const referenceShare = Math.min(1, REFERENCE_ROWS / (rows * TRAIN_SHARE));
  let currentDay = '';
  let dayIsTrain = true;
  for (const row of generateWeather(rows, seed, TRAINING_SCENARIO)) {
    const day = String(row[0]).slice(0, 10);
    if (day !== currentDay) {
      currentDay = day;
      dayIsTrain = splitRandom.chance(TRAIN_SHARE);
    }
    if (dayIsTrain) {
      await sinks.train.push(row);
      if (splitRandom.chance(referenceShare)) await sinks.reference.push(row);
    } else {
      await sinks.test.push(row);
    }
  }
  const productionRows = Math.max(1000, Math.round(rows * 0.2));
  for (const row of generateWeather(productionRows, seed + 1, PRODUCTION_SCENARIO))
    await sinks.production.push(row);
}
