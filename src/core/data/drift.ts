import { mapOnConnections } from './concurrent.js';
import type { DriftSettings, DriftStatistic } from './contract.js';
import {
  CDF_POINTS,
  profileKind,
  quantileOf,
  type AlongsidePass,
  type Cdf,
  type ColumnProfile,
  type Profile,
} from './profile.js';
import { countsOf, queryObjects, type CountedColumn, type Scan } from './scan.js';
import { forEachSortedValue, type SortedVisitor } from './sorted-values.js';
import type { Engine } from './reader.js';
import { benjaminiHochberg, chiSquareTwoRows, jensenShannon, ksPValue, psi } from './stats.js';

/**
 * Drift of every shared column against a reference (a data file, or a saved profile.json). Every
 * statistic is computed and reported; one decides. Defaults follow Evidently: with a reference of up
 * to 1,000 rows a test decides (KS for numbers, chi-square for categories) at p < 0.05, above that a
 * distance does (Wasserstein normalised by the reference std for numbers, Jensen–Shannon for
 * categories) at ≥ 0.1. Two corrections: the p-values are adjusted for testing many columns at once
 * (Benjamini–Hochberg), and a distance only counts as drift when the test agrees that the difference
 * is more than sampling noise (which matters when either side is small).
 */
export const TEST_MAX_REFERENCE_ROWS = 1000;
export const DEFAULT_THRESHOLD = 0.1;
export const DEFAULT_P_VALUE = 0.05;
/** Numeric columns with at most this many distinct reference values are compared as categories. */
export const FEW_VALUES = 5;
const PSI_BINS = 10;
/** Connections the compared columns are measured on side by side. */
const DRIFT_LANES = 4;
const CATEGORY_CAP = 1000;

export interface DriftStatistics {
  ks?: { value: number; pValue: number };
  chi_square?: { value: number; pValue: number; dof: number };
  psi: { value: number };
  jensen_shannon: { value: number };
  wasserstein?: { value: number; raw: number };
}

export interface DriftEntry {
  column: string;
  kind: 'numeric' | 'categorical';
  statistic: Exclude<DriftStatistic, 'auto'>;
  value: number;
  threshold: number;
  pValue: number | null;
  pValueAdjusted: number | null;
  /** What the threshold is compared with: the statistic's value, or the adjusted p-value of a test. */
  decidedBy: 'value' | 'p_value';
  drifted: boolean;
  referenceRows: number;
  currentRows: number;
  /** False when the reference is a profile and KS/Wasserstein came from its CDF sketch. */
  exact: boolean;
  statistics: DriftStatistics;
}

export interface DriftSkip {
  column: string;
  reason: string;
}

export interface DriftSide {
  profile: Profile;
  /** Present when the side is a data file scanned in this run (exact statistics). */
  scan?: Scan;
}

function counted(side: DriftSide, name: string): CountedColumn | undefined {
  return side.scan?.columns.find((column) => column.name === name);
}

/** What one pass over both sides' values in ascending order measures. */
export interface ExactPass {
  /** Per side, how many values are ≤ each edge. */
  atOrBelow: number[][];
  /** The two-sample KS statistic and Wasserstein-1 distance (with two sides). */
  ks: number;
  w1: number;
}

/**
 * Reads one or two sides' values in ascending order (totals: each side's count of numeric values):
 * how many values of each side are ≤ each edge (ascending edges) and, with two sides, the exact
 * two-sample KS statistic and Wasserstein-1 distance between them.
 */
function exactPassReader(totals: number[], edges: number[]): { visit: SortedVisitor; result(): ExactPass } {
  const cumulative = totals.map(() => 0);
  const atOrBelow = totals.map(() => new Array<number>(edges.length).fill(0));
  let nextEdge = 0;
  let ks = 0;
  let w1 = 0;
  let previous: { value: number; gap: number } | null = null;
  return {
    visit(value, counts) {
      for (; nextEdge < edges.length && edges[nextEdge] < value; nextEdge++)
        cumulative.forEach((cum, side) => (atOrBelow[side][nextEdge] = cum));
      counts.forEach((count, side) => (cumulative[side] += count));
      if (totals.length < 2) return;
      const gap = Math.abs(cumulative[0] / totals[0] - cumulative[1] / totals[1]);
      ks = Math.max(ks, gap);
      if (previous) w1 += previous.gap * (value - previous.value);
      previous = { value, gap };
    },
    result() {
      for (; nextEdge < edges.length; nextEdge++)
        cumulative.forEach((cum, side) => (atOrBelow[side][nextEdge] = cum));
      return { atOrBelow, ks, w1 };
    },
  };
}

async function sortedPass(
  engine: Engine,
  columns: CountedColumn[],
  totals: number[],
  edges: number[],
): Promise<ExactPass> {
  const reader = exactPassReader(totals, edges);
  await forEachSortedValue(engine, columns, reader.visit);
  return reader.result();
}

/**
 * Shared bins of a numeric comparison: the reference's deciles. When the reference is only a profile,
 * each decile is taken at a point of its CDF sketch (the first whose count reaches the rank), where the
 * sketch's count is exact: between points the sketch interpolates, which misplaces a decile that falls
 * in a jump of the CDF (a value held by many rows) and so invents drift against exact counts.
 */
function sharedEdges(ref: ColumnProfile, atSketchPoints = false): number[] {
  const { cdf } = ref.numeric!;
  const decile = (p: number) => {
    if (!atSketchPoints) return quantileOf(cdf, ref.count, p);
    const index = cdf.counts.findIndex((count) => count >= p * ref.count);
    return cdf.values[index < 0 ? cdf.values.length - 1 : index];
  };
  return [...new Set(Array.from({ length: PSI_BINS - 1 }, (_, i) => decile((i + 1) / PSI_BINS)))];
}

/** Columns compared as numbers: both numeric, with more than a few distinct reference values. */
function comparesAsNumbers(curKind: ColumnProfile['kind'], ref: ColumnProfile): boolean {
  return curKind === 'numeric' && ref.kind === 'numeric' && ref.distinct > FEW_VALUES;
}

/**
 * The exact drift passes of the numeric columns a data file shares with a reference data file, to be
 * read alongside the passes that profile the data's columns: one ordered pass per column instead of
 * two (a real-valued column of 2M rows costs ~0.5 CPU-s a pass). `measured` holds each column's
 * result once its profile is done.
 */
export function driftAlongsideProfile(
  current: Scan,
  reference: DriftSide,
  settings: DriftSettings = {},
): { alongside: Map<string, AlongsidePass>; measured: Map<string, () => ExactPass> } {
  const alongside = new Map<string, AlongsidePass>();
  const measured = new Map<string, () => ExactPass>();
  for (const column of current.columns) {
    const ref = reference.profile.columns.find((candidate) => candidate.name === column.name);
    const refColumn = counted(reference, column.name);
    if (!ref || !refColumn || ref.count === 0 || settings.columns?.[column.name]?.skip) continue;
    if (!comparesAsNumbers(profileKind(column.kind), ref)) continue;
    alongside.set(column.name, {
      column: refColumn,
      start(count) {
        const reader = exactPassReader([count, ref.count], sharedEdges(ref));
        measured.set(column.name, reader.result);
        return reader.visit;
      },
    });
  }
  return { alongside, measured };
}

/**
 * Reads a CDF sketch as the second side of an ordered pass over one side's values. The sketch is
 * exact at its points; between two points lie at most a rank spacing of rows (its points sit at
 * evenly spaced ranks), whose values it does not keep. So each point keeps the rows beyond one
 * spacing (a value held by many rows stays whole), and up to one spacing of rows between two points
 * is spread over the first side's values in that interval, in proportion to their counts (midway
 * when it has none there). The statistics are then exact at the points, and between them follow
 * the first side's shape rather than a guess (a midpoint guess made heavy tails drift against their
 * own profile). A sketch of every distinct value is read as it is. `finish` reads what is left.
 */
function withSketchAsSide(
  cdf: Cdf,
  total: number,
  visit: SortedVisitor,
): { visit: SortedVisitor; finish(): void } {
  const spacing = cdf.exact ? 0 : total / (CDF_POINTS - 1);
  const at = (index: number) => cdf.counts[index] - (index ? cdf.counts[index - 1] : 0);
  const between = (index: number) => (index ? Math.min(at(index) - 1, spacing) : 0);
  // The first side's values since the last point passed, and their counts.
  let inside: number[] = [];
  let insideCounts: number[] = [];
  let next = 0;
  /** Ends the interval below point `index`: its values, with the sketch's rows between spread over them. */
  const closeInterval = (index: number) => {
    const spread = index < cdf.values.length ? between(index) : 0;
    const sum = insideCounts.reduce((a, b) => a + b, 0);
    if (!inside.length && spread > 0) visit((cdf.values[index - 1] + cdf.values[index]) / 2, [0, spread]);
    inside.forEach((value, position) =>
      visit(value, [insideCounts[position], sum ? (spread * insideCounts[position]) / sum : 0]),
    );
    inside = [];
    insideCounts = [];
  };
  const pointsBelow = (value: number) => {
    for (; next < cdf.values.length && cdf.values[next] < value; next++) {
      closeInterval(next);
      visit(cdf.values[next], [0, at(next) - between(next)]);
    }
  };
  return {
    visit(value, counts) {
      pointsBelow(value);
      if (next < cdf.values.length && cdf.values[next] === value) {
        closeInterval(next);
        visit(value, [counts[0], at(next) - between(next)]);
        next++;
      } else if (next === 0 || next === cdf.values.length || between(next) === 0) {
        // Outside the sketch's range, or where it holds no rows between points: nothing to spread.
        visit(value, [counts[0], 0]);
      } else {
        inside.push(value);
        insideCounts.push(counts[0]);
      }
    },
    finish() {
      pointsBelow(Number.POSITIVE_INFINITY);
      closeInterval(cdf.values.length);
    },
  };
}

function referenceStd(profile: ColumnProfile): number {
  const std = profile.numeric!.std ?? 0;
  return profile.count > 1 ? std * Math.sqrt((profile.count - 1) / profile.count) : 0;
}

async function numericDrift(
  engine: Engine,
  current: DriftSide,
  reference: DriftSide,
  cur: ColumnProfile,
  ref: ColumnProfile,
  measured: (() => ExactPass) | undefined,
): Promise<{ statistics: DriftStatistics; exact: boolean }> {
  const curColumn = counted(current, cur.name);
  if (!curColumn) throw new Error(`drift reads the data's own values; column ${cur.name} was not counted`);
  const refColumn = counted(reference, ref.name);
  // A profile's sketch is the whole distribution when the column has few distinct values.
  const exact = !!refColumn || ref.numeric!.cdf.exact;
  const edges = sharedEdges(ref, !refColumn);
  let pass: ExactPass;
  if (refColumn) {
    pass = measured
      ? measured()
      : await sortedPass(engine, [curColumn, refColumn], [cur.count, ref.count], edges);
  } else {
    // The data's own values, exact, against the reference profile's CDF sketch read as a second side.
    const reader = exactPassReader([cur.count, ref.count], edges);
    const both = withSketchAsSide(ref.numeric!.cdf, ref.count, reader.visit);
    await forEachSortedValue(engine, [curColumn], both.visit);
    both.finish();
    pass = reader.result();
  }
  const { ks, w1 } = pass;
  const [curAtOrBelow, refAtOrBelow] = pass.atOrBelow;
  const binCounts = (atOrBelow: number[], total: number) =>
    [...atOrBelow, total].map((value, index, all) => value - (index ? all[index - 1] : 0));
  const refBins = binCounts(refAtOrBelow, ref.count);
  const curBins = binCounts(curAtOrBelow, cur.count);
  const std = referenceStd(ref);
  return {
    exact,
    statistics: {
      ks: { value: ks, pValue: ksPValue(ref.count, cur.count, ks) },
      psi: { value: psi(refBins, curBins) },
      jensen_shannon: { value: jensenShannon(refBins, curBins) },
      wasserstein: { value: std > 0 ? w1 / std : w1 > 0 ? Number.POSITIVE_INFINITY : 0, raw: w1 },
    },
  };
}

async function categoryCounts(
  engine: Engine,
  side: DriftSide,
  profile: ColumnProfile,
): Promise<Map<string, number>> {
  const column = counted(side, profile.name);
  if (column) {
    const rows = await queryObjects(
      engine,
      `SELECT CAST(v AS VARCHAR) AS value, n FROM ${countsOf(column)} WHERE v IS NOT NULL ORDER BY n DESC, value LIMIT ${CATEGORY_CAP * 10}`,
    );
    const map = new Map(rows.map((row) => [String(row.value), Number(row.n)]));
    const listed = [...map.values()].reduce((sum, value) => sum + value, 0);
    if (listed < profile.count) map.set('\u0000other', profile.count - listed);
    return map;
  }
  const map = new Map<string, number>();
  if (profile.kind === 'numeric') {
    const { values, counts } = profile.numeric!.cdf;
    values.forEach((value, index) => map.set(String(value), counts[index] - (index ? counts[index - 1] : 0)));
  } else {
    for (const entry of profile.categories?.values ?? []) map.set(entry.value, entry.count);
    if (profile.categories?.other) map.set('\u0000other', profile.categories.other);
  }
  return map;
}

/** Canonical text of a category: numbers compare as numbers ("1" and "1.0" are one category). */
function categoryKey(value: string): string {
  const number = Number(value);
  return value.trim() !== '' && Number.isFinite(number) ? String(number) : value;
}

async function categoricalDrift(
  engine: Engine,
  current: DriftSide,
  reference: DriftSide,
  cur: ColumnProfile,
  ref: ColumnProfile,
) {
  const normalise = (map: Map<string, number>) => {
    const out = new Map<string, number>();
    for (const [key, value] of map) {
      const canonical = key === '\u0000other' ? key : categoryKey(key);
      out.set(canonical, (out.get(canonical) ?? 0) + value);
    }
    return out;
  };
  const a = normalise(await categoryCounts(engine, reference, ref));
  const b = normalise(await categoryCounts(engine, current, cur));
  // Keep the most frequent categories; fold the rest into one "other" bucket.
  const totals = new Map<string, number>();
  for (const [key, value] of [...a, ...b]) totals.set(key, (totals.get(key) ?? 0) + value);
  const ranked = [...totals.entries()].filter(([key]) => key !== '\u0000other').sort((x, y) => y[1] - x[1]);
  const kept = ranked.slice(0, CATEGORY_CAP).map(([key]) => key);
  const keptSet = new Set(kept);
  const vector = (map: Map<string, number>) => {
    const counts = kept.map((key) => map.get(key) ?? 0);
    let other = 0;
    for (const [key, value] of map) if (!keptSet.has(key)) other += value;
    return [...counts, other];
  };
  const refCounts = vector(a);
  const curCounts = vector(b);
  const chi = chiSquareTwoRows(refCounts, curCounts);
  // A side is exact when it was counted in this run, or its profile lists every value it holds.
  const whole = (side: DriftSide, profile: ColumnProfile) =>
    !!counted(side, profile.name) ||
    (profile.kind === 'numeric' ? !!profile.numeric?.cdf.exact : !!profile.categories?.complete);
  return {
    exact: whole(current, cur) && whole(reference, ref),
    statistics: {
      chi_square: { value: chi.statistic, pValue: chi.pValue, dof: chi.dof },
      psi: { value: psi(refCounts, curCounts) },
      jensen_shannon: { value: jensenShannon(refCounts, curCounts) },
    } as DriftStatistics,
  };
}

/** Drift of every shared column; `measured`: exact passes already read alongside the data's profile. */
export async function computeDrift(
  engine: Engine,
  current: DriftSide,
  reference: DriftSide,
  settings: DriftSettings = {},
  measured: Map<string, () => ExactPass> = new Map(),
): Promise<{ entries: DriftEntry[]; skipped: DriftSkip[] }> {
  const entries: DriftEntry[] = [];
  const skipped: DriftSkip[] = [];
  const alpha = settings.pValue ?? DEFAULT_P_VALUE;
  const pending: {
    entry: Omit<DriftEntry, 'pValueAdjusted' | 'drifted'>;
    testP: number | null;
    guard: boolean;
  }[] = [];
  const compared: { cur: ColumnProfile; ref: ColumnProfile; numeric: boolean }[] = [];
  for (const cur of current.profile.columns) {
    const ref = reference.profile.columns.find((column) => column.name === cur.name);
    const override = settings.columns?.[cur.name] ?? {};
    if (!ref) {
      skipped.push({ column: cur.name, reason: 'not in the reference' });
      continue;
    }
    if (override.skip) {
      skipped.push({ column: cur.name, reason: 'skipped by the contract' });
      continue;
    }
    if (cur.count === 0 || ref.count === 0) {
      skipped.push({
        column: cur.name,
        reason: cur.count === 0 ? 'every value missing in the data' : 'every value missing in the reference',
      });
      continue;
    }
    if (cur.kind === 'datetime' || cur.kind === 'other' || ref.kind === 'datetime' || ref.kind === 'other') {
      skipped.push({
        column: cur.name,
        reason: `${cur.kind === 'datetime' || ref.kind === 'datetime' ? 'date/time' : 'nested'} columns are not compared`,
      });
      continue;
    }
    if (cur.kind !== ref.kind) {
      skipped.push({
        column: cur.name,
        reason: `types differ (${ref.sqlType} in the reference, ${cur.sqlType} in the data)`,
      });
      continue;
    }
    if (
      cur.kind === 'categorical' &&
      ref.distinctExact &&
      ref.distinct > CATEGORY_CAP &&
      ref.distinct > 0.5 * ref.count
    ) {
      skipped.push({ column: cur.name, reason: `identifier-like (${ref.distinct} distinct values)` });
      continue;
    }
    compared.push({ cur, ref, numeric: comparesAsNumbers(cur.kind, ref) });
  }
  const results = await mapOnConnections(engine, compared, DRIFT_LANES, (own, { cur, ref, numeric }) =>
    numeric
      ? numericDrift(own, current, reference, cur, ref, measured.get(cur.name))
      : categoricalDrift(own, current, reference, cur, ref),
  );
  compared.forEach(({ cur, ref, numeric }, index) => {
    const override = settings.columns?.[cur.name] ?? {};
    const { statistics, exact } = results[index];
    const test = numeric ? statistics.ks! : statistics.chi_square!;
    const chosen = override.statistic ?? settings.statistic ?? 'auto';
    const auto = chosen === 'auto';
    let statistic: Exclude<DriftStatistic, 'auto'>;
    if (auto) {
      const small = ref.count <= TEST_MAX_REFERENCE_ROWS;
      statistic = numeric ? (small ? 'ks' : 'wasserstein') : small ? 'chi_square' : 'jensen_shannon';
    } else if ((chosen === 'ks' || chosen === 'wasserstein') && !numeric) {
      statistic = chosen === 'ks' ? 'chi_square' : 'jensen_shannon';
    } else if (chosen === 'chi_square' && numeric) {
      statistic = 'ks';
    } else {
      statistic = chosen;
    }
    const isTest = statistic === 'ks' || statistic === 'chi_square';
    const value = statistics[statistic]!.value;
    pending.push({
      entry: {
        column: cur.name,
        kind: numeric ? 'numeric' : 'categorical',
        statistic,
        value,
        threshold: isTest ? alpha : (override.threshold ?? settings.threshold ?? DEFAULT_THRESHOLD),
        pValue: test.pValue,
        decidedBy: isTest ? 'p_value' : 'value',
        referenceRows: ref.count,
        currentRows: cur.count,
        exact,
        statistics,
      },
      testP: test.pValue,
      guard: auto && !isTest,
    });
  });
  const adjusted = benjaminiHochberg(pending.map((item) => item.testP));
  pending.forEach(({ entry, guard }, index) => {
    const p = adjusted[index];
    const significant = p !== null && p < alpha;
    const drifted =
      entry.decidedBy === 'p_value' ? significant : entry.value >= entry.threshold && (!guard || significant);
    entries.push({ ...entry, pValueAdjusted: p, drifted });
  });
  return { entries, skipped };
}
