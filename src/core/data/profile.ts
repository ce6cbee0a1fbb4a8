import { TOOL_VERSION } from '../version.js';
import { mapOnConnections } from './concurrent.js';
import { countsOf, queryObjects, type CountedColumn, type Scan } from './scan.js';
import type { Engine } from './reader.js';
import { forEachSortedValue, type SortedVisitor } from './sorted-values.js';

/**
 * profile.json: a summary of one data file, or of several shards merged. Counts, missing, min, max,
 * mean, std, categories (up to CATEGORY_LIMIT) and the distinct-value sketch merge exactly; the
 * quantiles and histogram come from the CDF sketch, which is exact at its points and interpolated
 * between them.
 */
export const CDF_POINTS = 201;
export const CATEGORY_LIMIT = 1000;
export const HISTOGRAM_BINS = 20;
export const HLL_BITS = 12;
const QUANTILES: [string, number][] = [
  ['p1', 0.01],
  ['p5', 0.05],
  ['p10', 0.1],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
];

export type ProfileKind = 'numeric' | 'categorical' | 'datetime' | 'other';

export interface Cdf {
  /** Ascending values; counts[i] rows have a value ≤ values[i]. */
  values: number[];
  counts: number[];
  /** True when values lists every distinct value (the CDF is then exact everywhere). */
  exact: boolean;
}

export interface NumericProfile {
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (ddof = 1, as pandas describe). */
  std: number | null;
  quantiles: Record<string, number>;
  histogram: { edges: number[]; counts: number[] };
  cdf: Cdf;
}

export interface ColumnProfile {
  name: string;
  sqlType: string;
  kind: ProfileKind;
  count: number;
  missing: number;
  distinct: number;
  distinctExact: boolean;
  /** HyperLogLog registers (2^12 bytes, base64) of the non-missing values, for merging distinct counts. */
  hll: string;
  numeric?: NumericProfile;
  categories?: { values: { value: string; count: number }[]; complete: boolean; other: number };
  datetime?: { min: string; max: string };
}

export interface ProfileSource {
  path: string;
  format: string;
  bytes: number;
  sha256: string;
  rows: number;
}

export interface Profile {
  schemaVersion: 1;
  tool: { name: 'mlops-actions'; version: string };
  rows: number;
  /** The file profiled; null for a merged profile (see shards). */
  source: ProfileSource | null;
  /** Every file that went into this profile. */
  shards: ProfileSource[];
  columns: ColumnProfile[];
}

export function profileKind(kind: CountedColumn['kind']): ProfileKind {
  if (kind === 'numeric') return 'numeric';
  if (kind === 'string' || kind === 'boolean') return 'categorical';
  return kind === 'datetime' ? 'datetime' : 'other';
}

async function hllRegisters(engine: Engine, column: CountedColumn): Promise<Uint8Array> {
  const registers = new Uint8Array(2 ** HLL_BITS);
  const mask = 2 ** HLL_BITS - 1;
  const width = 64 - HLL_BITS;
  // Numbers hash as DOUBLE (4x cheaper than as text, and 1 and 1.0 stay one value across shards whose
  // types differ); -0.0 and 0.0 count as one value, kept under either sign (whichever thread counted
  // it first). Other values hash as text.
  const value =
    column.kind === 'numeric' ? 'CASE WHEN v = 0 THEN 0.0 ELSE CAST(v AS DOUBLE) END' : 'CAST(v AS VARCHAR)';
  // The set registers come back as one text ("idx:rank,…"): one value to convert, not up to 4,096 rows.
  const [row] = await queryObjects(
    engine,
    `SELECT coalesce(string_agg(idx || ':' || rank, ','), '') AS registers FROM (
       SELECT idx, max(rank) AS rank FROM (
         SELECT CAST(h & ${mask} AS INTEGER) AS idx,
                CASE WHEN (h >> ${HLL_BITS}) = 0 THEN ${width + 1} ELSE ${width} - CAST(floor(log2(CAST(h >> ${HLL_BITS} AS DOUBLE))) AS INTEGER) END AS rank
         FROM (SELECT hash(${value}) AS h FROM ${countsOf(column)} WHERE v IS NOT NULL)
       ) GROUP BY idx
     )`,
  );
  for (const entry of String(row.registers).split(',')) {
    if (!entry) continue;
    const [index, rank] = entry.split(':');
    registers[Number(index)] = Number(rank);
  }
  return registers;
}

/** HyperLogLog estimate with the small-range (linear counting) correction. */
export function hllEstimate(registers: Uint8Array): number {
  const m = registers.length;
  let sum = 0;
  let zeros = 0;
  for (const register of registers) {
    sum += 2 ** -register;
    if (register === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const estimate = (alpha * m * m) / sum;
  if (estimate <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(estimate);
}

/** The value at 0-based rank r of a CDF sketch (exact at its points, linear between them). */
export function valueAtRank(cdf: Cdf, rank: number): number {
  const { values, counts } = cdf;
  let index = counts.findIndex((count) => count > rank);
  if (index < 0) index = values.length - 1;
  if (cdf.exact || index === 0) return values[index];
  const lowRank = counts[index - 1] - 1;
  const highRank = counts[index] - 1;
  if (rank <= lowRank) return values[index - 1];
  const t = (rank - lowRank) / (highRank - lowRank);
  return values[index - 1] + t * (values[index] - values[index - 1]);
}

/** Quantile with linear interpolation between order statistics (numpy's default, DuckDB quantile_cont). */
export function quantileOf(cdf: Cdf, total: number, p: number): number {
  const h = (total - 1) * p;
  const low = Math.floor(h);
  const lowValue = valueAtRank(cdf, low);
  if (h === low) return lowValue;
  return lowValue + (h - low) * (valueAtRank(cdf, low + 1) - lowValue);
}

/** How many values are ≤ x, from a CDF sketch. */
export function countAtOrBelow(cdf: Cdf, x: number): number {
  const { values, counts } = cdf;
  if (!values.length || x < values[0]) return 0;
  if (x >= values[values.length - 1]) return counts[counts.length - 1];
  let low = 0;
  let high = values.length - 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (values[mid] <= x) low = mid;
    else high = mid;
  }
  if (cdf.exact || values[low] === x) return counts[low];
  const t = (x - values[low]) / (values[high] - values[low]);
  return counts[low] + t * (counts[high] - counts[low]);
}

function histogramFromCdf(
  cdf: Cdf,
  min: number,
  max: number,
  total: number,
): { edges: number[]; counts: number[] } {
  const bins = max > min ? HISTOGRAM_BINS : 1;
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, index) => (index === bins ? max : min + index * width));
  let previous = 0;
  const counts = edges.slice(1).map((edge, index) => {
    const upTo = index === bins - 1 ? total : Math.round(countAtOrBelow(cdf, edge));
    const count = upTo - previous;
    previous = upTo;
    return count;
  });
  return { edges, counts };
}

/** The ranks (0-based, ascending) whose values the quantiles and the CDF sketch need. */
function wantedRanks(count: number, exactCdf: boolean): { cdfRanks: number[]; quantileRanks: number[] } {
  const cdfRanks = new Set<number>();
  if (!exactCdf)
    for (let i = 0; i < CDF_POINTS; i++) cdfRanks.add(Math.round((i * (count - 1)) / (CDF_POINTS - 1)));
  const quantileRanks = new Set<number>();
  for (const [, p] of QUANTILES) {
    const h = (count - 1) * p;
    quantileRanks.add(Math.floor(h));
    quantileRanks.add(Math.min(count - 1, Math.floor(h) + 1));
  }
  const ascending = (ranks: Set<number>) => [...ranks].sort((a, b) => a - b);
  return { cdfRanks: ascending(cdfRanks), quantileRanks: ascending(quantileRanks) };
}

/**
 * The numeric summary from a column's value counts: the range first (it fixes the histogram's bins),
 * then one pass over the values in ascending order for the moments, order statistics, CDF points and
 * bins. Sums run in value order, so the result does not depend on how threads grouped the counts.
 */
async function numericProfile(
  engine: Engine,
  column: CountedColumn,
  count: number,
  distinct: number,
  alongside: AlongsidePass | undefined,
): Promise<NumericProfile> {
  const [range] = await queryObjects(
    engine,
    `SELECT min(CAST(v AS DOUBLE)) AS min, max(CAST(v AS DOUBLE)) AS max FROM ${countsOf(column)}`,
  );
  const min = Number(range.min) + 0;
  const max = Number(range.max) + 0;
  const exactCdf = distinct <= CDF_POINTS;
  const { cdfRanks, quantileRanks } = wantedRanks(count, exactCdf);
  const bins = max > min ? HISTOGRAM_BINS : 1;
  const width = (max - min) / bins;
  const histogramCounts = new Array<number>(bins).fill(0);
  const cdf: Cdf = { values: [], counts: [], exact: exactCdf };
  const byRank = new Map<number, number>();
  let seen = 0;
  // Deviations are taken from the smallest value: the running mean of values near 2^53 cannot hold
  // their fractions, while their distances from the minimum stay exact.
  let shiftedMean = 0;
  let m2 = 0;
  let nextCdf = 0;
  let nextQuantile = 0;
  const other = alongside?.start(count);
  await forEachSortedValue(engine, other ? [column, alongside!.column] : [column], (value, counts) => {
    other?.(value, counts);
    const n = counts[0];
    if (n === 0) return;
    // Weighted Welford update: n rows of one value at once.
    seen += n;
    const shifted = value - min;
    const delta = shifted - shiftedMean;
    shiftedMean += (delta * n) / seen;
    m2 += delta * (shifted - shiftedMean) * n;
    histogramCounts[Math.min(Math.floor(shifted / (width || 1)), bins - 1)] += n;
    for (; nextQuantile < quantileRanks.length && quantileRanks[nextQuantile] < seen; nextQuantile++)
      byRank.set(quantileRanks[nextQuantile], value);
    if (exactCdf) {
      cdf.values.push(value);
      cdf.counts.push(seen);
      return;
    }
    if (nextCdf < cdfRanks.length && cdfRanks[nextCdf] < seen) {
      cdf.values.push(value);
      cdf.counts.push(seen);
      while (nextCdf < cdfRanks.length && cdfRanks[nextCdf] < seen) nextCdf++;
    }
  });
  const quantiles = Object.fromEntries(
    QUANTILES.map(([name, p]) => {
      const h = (count - 1) * p;
      const low = Math.floor(h);
      const lowValue = byRank.get(low)!;
      const highValue = byRank.get(Math.min(count - 1, low + 1))!;
      return [name, lowValue + (h - low) * (highValue - lowValue)];
    }),
  );
  const edges = Array.from({ length: bins + 1 }, (_, index) => (index === bins ? max : min + index * width));
  return {
    min,
    max,
    mean: min + shiftedMean,
    std: count > 1 ? Math.sqrt(m2 / (count - 1)) : null,
    quantiles,
    histogram: { edges, counts: histogramCounts },
    cdf,
  };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Connections the columns of a profile are computed on side by side. */
const PROFILE_LANES = 4;

/**
 * Another count table read in the pass that profiles a numeric column (as side 1), for whoever needs
 * both sides in value order (drift against a reference): `start` gets the column's count of values
 * and returns what reads each value with both sides' counts.
 */
export interface AlongsidePass {
  column: CountedColumn;
  start(count: number): SortedVisitor;
}

async function profileColumn(
  engine: Engine,
  column: CountedColumn,
  alongside: AlongsidePass | undefined,
): Promise<ColumnProfile> {
  const [basic] = await queryObjects(
    engine,
    `SELECT coalesce(sum(n) FILTER (WHERE v IS NOT NULL), 0) AS count, coalesce(sum(n) FILTER (WHERE v IS NULL), 0) AS missing,
            count(v) AS distinct_values FROM ${countsOf(column)}`,
  );
  const count = Number(basic.count);
  const kind = profileKind(column.kind);
  const profile: ColumnProfile = {
    name: column.name,
    sqlType: column.sqlType,
    kind,
    count,
    missing: Number(basic.missing),
    distinct: Number(basic.distinct_values),
    distinctExact: true,
    hll: toBase64(await hllRegisters(engine, column)),
  };
  if (count > 0 && kind === 'numeric')
    profile.numeric = await numericProfile(engine, column, count, profile.distinct, alongside);
  if (count > 0 && kind === 'categorical') {
    const rows = await queryObjects(
      engine,
      `SELECT CAST(v AS VARCHAR) AS value, n FROM ${countsOf(column)} WHERE v IS NOT NULL ORDER BY n DESC, value LIMIT ${CATEGORY_LIMIT}`,
    );
    const values = rows.map((row) => ({ value: String(row.value), count: Number(row.n) }));
    const listed = values.reduce((sum, entry) => sum + entry.count, 0);
    profile.categories = { values, complete: profile.distinct <= CATEGORY_LIMIT, other: count - listed };
  }
  if (count > 0 && kind === 'datetime') {
    const [range] = await queryObjects(
      engine,
      `SELECT CAST(min(v) AS VARCHAR) AS min, CAST(max(v) AS VARCHAR) AS max FROM ${countsOf(column)}`,
    );
    profile.datetime = { min: String(range.min), max: String(range.max) };
  }
  return profile;
}

/** Profiles every column of a scanned file from its value counts (see AlongsidePass for `alongside`). */
export async function profileScan(
  engine: Engine,
  scan: Scan,
  source: ProfileSource,
  alongside: Map<string, AlongsidePass> = new Map(),
): Promise<Profile> {
  return {
    schemaVersion: 1,
    tool: { name: 'mlops-actions', version: TOOL_VERSION },
    rows: scan.rows,
    source,
    shards: [source],
    columns: await mapOnConnections(engine, scan.columns, PROFILE_LANES, (own, column) =>
      profileColumn(own, column, alongside.get(column.name)),
    ),
  };
}

// ---------- merging ----------

function mergeCdf(a: Cdf, b: Cdf, total: number): Cdf {
  const values = [...new Set([...a.values, ...b.values])].sort((x, y) => x - y);
  const counts = values.map((value) => Math.round(countAtOrBelow(a, value) + countAtOrBelow(b, value)));
  const exact = a.exact && b.exact;
  if (exact && values.length <= CDF_POINTS) return { values, counts, exact };
  const merged: Cdf = { values, counts, exact };
  const points: Cdf = { values: [], counts: [], exact: false };
  for (let i = 0; i < CDF_POINTS; i++) {
    const rank = Math.round((i * (total - 1)) / (CDF_POINTS - 1));
    const index = Math.max(
      0,
      counts.findIndex((count) => count > rank),
    );
    const value = merged.values[index];
    if (points.values[points.values.length - 1] === value) continue;
    points.values.push(value);
    points.counts.push(counts[index]);
  }
  return points;
}

function mergeNumeric(a: ColumnProfile, b: ColumnProfile, count: number): NumericProfile | undefined {
  if (!a.numeric || !b.numeric) return a.numeric ?? b.numeric;
  const x = a.numeric;
  const y = b.numeric;
  const mean = (x.mean * a.count + y.mean * b.count) / count;
  const m2 =
    (x.std ?? 0) ** 2 * (a.count - 1) +
    (y.std ?? 0) ** 2 * (b.count - 1) +
    ((x.mean - y.mean) ** 2 * a.count * b.count) / count;
  const cdf = mergeCdf(x.cdf, y.cdf, count);
  const min = Math.min(x.min, y.min);
  const max = Math.max(x.max, y.max);
  return {
    min,
    max,
    mean,
    std: count > 1 ? Math.sqrt(m2 / (count - 1)) : null,
    quantiles: Object.fromEntries(QUANTILES.map(([name, p]) => [name, quantileOf(cdf, count, p)])),
    histogram: histogramFromCdf(cdf, min, max, count),
    cdf,
  };
}

function mergeColumn(a: ColumnProfile, b: ColumnProfile): ColumnProfile {
  const count = a.count + b.count;
  const registersA = fromBase64(a.hll);
  const registersB = fromBase64(b.hll);
  const registers = registersA.map((value, index) => Math.max(value, registersB[index]));
  const merged: ColumnProfile = {
    name: a.name,
    sqlType: a.sqlType === b.sqlType ? a.sqlType : `${a.sqlType}|${b.sqlType}`,
    kind: a.kind === b.kind ? a.kind : 'other',
    count,
    missing: a.missing + b.missing,
    distinct: hllEstimate(registers),
    distinctExact: false,
    hll: toBase64(registers),
  };
  if (merged.kind === 'numeric') {
    merged.numeric = mergeNumeric(a, b, count);
    const cdfA = a.numeric?.cdf;
    const cdfB = b.numeric?.cdf;
    if (cdfA?.exact && cdfB?.exact) {
      merged.distinct = new Set([...cdfA.values, ...cdfB.values]).size;
      merged.distinctExact = true;
    }
  }
  if (merged.kind === 'categorical' && (a.categories || b.categories)) {
    const totals = new Map<string, number>();
    for (const entry of [...(a.categories?.values ?? []), ...(b.categories?.values ?? [])])
      totals.set(entry.value, (totals.get(entry.value) ?? 0) + entry.count);
    const complete = (a.categories?.complete ?? true) && (b.categories?.complete ?? true);
    if (complete) {
      merged.distinct = totals.size;
      merged.distinctExact = true;
    }
    const values = [...totals.entries()]
      .map(([value, total]) => ({ value, count: total }))
      .sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : 1))
      .slice(0, CATEGORY_LIMIT);
    const listed = values.reduce((sum, entry) => sum + entry.count, 0);
    merged.categories = {
      values,
      complete: complete && totals.size <= CATEGORY_LIMIT,
      other: count - listed,
    };
  }
  if (merged.kind === 'datetime' && (a.datetime || b.datetime)) {
    const mins = [a.datetime?.min, b.datetime?.min].filter((value): value is string => !!value).sort();
    const maxs = [a.datetime?.max, b.datetime?.max].filter((value): value is string => !!value).sort();
    merged.datetime = { min: mins[0], max: maxs[maxs.length - 1] };
  }
  return merged;
}

/** Merges the profiles of shards (files with the same columns) into the profile of their union. */
export function mergeProfiles(a: Profile, b: Profile): Profile {
  const columns = a.columns.map((column) => {
    const other = b.columns.find((candidate) => candidate.name === column.name);
    if (!other) throw new Error(`the profiles differ in columns: "${column.name}" is only in one of them`);
    return mergeColumn(column, other);
  });
  if (b.columns.length !== a.columns.length) throw new Error('the profiles differ in columns');
  return {
    schemaVersion: 1,
    tool: { name: 'mlops-actions', version: TOOL_VERSION },
    rows: a.rows + b.rows,
    source: null,
    shards: [...a.shards, ...b.shards],
    columns,
  };
}
