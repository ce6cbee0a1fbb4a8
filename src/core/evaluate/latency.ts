import { performance } from 'node:perf_hooks';
import { quantile } from './bootstrap.js';
import { buildFeeds, fetchNames, type ModelRun, type ScoredData } from './score.js';

export interface LatencyPercentiles {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface LatencySettings {
  /** Single-row runs timed (after `warmup` untimed runs), cycling over the sample rows. */
  singleRowRuns: number;
  warmup: number;
  /** Timed runs of one batch of `batchRows` rows (fewer when the data is smaller). */
  batchRuns: number;
  batchRows: number;
}

export const DEFAULT_LATENCY: LatencySettings = {
  singleRowRuns: 200,
  warmup: 20,
  batchRuns: 20,
  batchRows: 1000,
};

export interface LatencyReport {
  singleRow: LatencyPercentiles;
  batch: LatencyPercentiles & { rows: number };
}

function percentiles(times: number[]): LatencyPercentiles {
  return {
    runs: times.length,
    p50Ms: quantile(times, 0.5),
    p95Ms: quantile(times, 0.95),
    p99Ms: quantile(times, 0.99),
  };
}

/**
 * Serving latency on real rows, as a load test would see it from one client: one row per call,
 * then one batch per call, each after warm-up runs. Wall-clock numbers: they vary run to run.
 */
export async function measureLatency(
  run: ModelRun,
  sample: ScoredData['sampleBatch'],
  settings: LatencySettings = DEFAULT_LATENCY,
): Promise<LatencyReport> {
  const fetches = fetchNames(run.outputs);
  const rowFeeds = Array.from({ length: Math.min(sample.rows, settings.singleRowRuns) }, (_, row) =>
    buildFeeds(run.inputs, sample.columns, row, row + 1),
  );
  const timeRuns = async (
    count: number,
    feedsFor: (index: number) => Parameters<typeof run.session.run>[0],
  ) => {
    const times: number[] = [];
    for (let index = 0; index < count + settings.warmup; index++) {
      const feeds = feedsFor(index);
      const started = performance.now();
      await run.session.run(feeds, fetches);
      if (index >= settings.warmup) times.push(performance.now() - started);
    }
    return times;
  };
  const single = await timeRuns(settings.singleRowRuns, (index) => rowFeeds[index % rowFeeds.length]);
  const batchRows = Math.min(sample.rows, settings.batchRows);
  const batchFeeds = buildFeeds(run.inputs, sample.columns, 0, batchRows);
  const batch = await timeRuns(settings.batchRuns, () => batchFeeds);
  return { singleRow: percentiles(single), batch: { ...percentiles(batch), rows: batchRows } };
}
