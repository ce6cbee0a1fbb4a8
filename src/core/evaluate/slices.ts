import { quantile } from './bootstrap.js';

/** Slices smaller than this are flagged: their intervals are wide and their metrics jumpy. */
export const SMALL_SLICE_ROWS = 100;
/** Numeric slice columns are cut at their quartiles. */
export const NUMERIC_SLICE_BINS = 4;
/** Text slice columns keep their most frequent values; the rest pool into "(other)". */
export const MAX_SLICE_VALUES = 30;

/** How a slice column's values are read: numbers and times are cut into quantile bins, text by value. */
export type SliceReading = 'number' | 'time' | 'text';

export interface SliceGroup {
  /** The value (text columns) or the bin label "[low, high)" (numbers; times as UTC date-times). */
  label: string;
  value?: string | null;
  bin?: { low: number; high: number };
  rows: Int32Array;
}

function indicesWhere(length: number, keep: (row: number) => boolean): Int32Array {
  const rows: number[] = [];
  for (let row = 0; row < length; row++) if (keep(row)) rows.push(row);
  return Int32Array.from(rows);
}

/** A bin edge as a label: numbers to 6 significant digits, times (epoch seconds) as UTC date-times. */
function edgeLabel(value: number, reading: SliceReading): string {
  if (reading !== 'time') return String(Number(value.toPrecision(6)));
  return new Date(value * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/(\.000)?Z$/, '');
}

/**
 * Groups the rows by the slice column: distinct values for text (missing → "(missing)"), quantile
 * bins [low, high) for numbers and times (the last bin closed, duplicate edges merged; missing →
 * "(missing)").
 */
export function sliceGroups(
  values: Float64Array | (string | null)[],
  reading: SliceReading = 'number',
): SliceGroup[] {
  if (values instanceof Float64Array) {
    const present = values.filter((value) => !Number.isNaN(value));
    const edges = [
      ...new Set(
        Array.from({ length: NUMERIC_SLICE_BINS + 1 }, (_, i) => quantile(present, i / NUMERIC_SLICE_BINS)),
      ),
    ].filter((edge) => !Number.isNaN(edge));
    const groups: SliceGroup[] = [];
    if (edges.length === 1) {
      groups.push({
        label: `[${edgeLabel(edges[0], reading)}, ${edgeLabel(edges[0], reading)}]`,
        bin: { low: edges[0], high: edges[0] },
        rows: indicesWhere(values.length, (row) => !Number.isNaN(values[row])),
      });
    }
    for (let i = 0; i + 1 < edges.length; i++) {
      const [low, high] = [edges[i], edges[i + 1]];
      const last = i + 2 === edges.length;
      groups.push({
        label: `[${edgeLabel(low, reading)}, ${edgeLabel(high, reading)}${last ? ']' : ')'}`,
        bin: { low, high },
        rows: indicesWhere(
          values.length,
          (row) => values[row] >= low && (last ? values[row] <= high : values[row] < high),
        ),
      });
    }
    const missing = indicesWhere(values.length, (row) => Number.isNaN(values[row]));
    if (missing.length) groups.push({ label: '(missing)', value: null, rows: missing });
    return groups;
  }
  const counts = new Map<string | null, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const kept = [...counts.entries()]
    .sort((x, y) => y[1] - x[1] || String(x[0]).localeCompare(String(y[0])))
    .slice(0, MAX_SLICE_VALUES)
    .map(([value]) => value);
  const keptSet = new Set(kept);
  const groups: SliceGroup[] = kept
    .sort((x, y) => (x === null ? 1 : y === null ? -1 : x.localeCompare(y)))
    .map((value) => ({
      label: value ?? '(missing)',
      value,
      rows: indicesWhere(values.length, (row) => values[row] === value),
    }));
  const other = indicesWhere(values.length, (row) => !keptSet.has(values[row]));
  if (other.length) groups.push({ label: '(other)', rows: other });
  return groups;
}
