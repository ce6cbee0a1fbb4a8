import type { Engine } from './reader.js';
import { countsOf, type CountedColumn } from './scan.js';

/** Reads one distinct value of an ordered pass, with its count on each side. */
export type SortedVisitor = (value: number, counts: number[]) => void;

/**
 * The numeric values of one or more count tables in ascending order, streamed chunk by chunk:
 * `visit(value, counts)` runs once per distinct value with its count on each side (0 where a side
 * lacks it; the array is reused between calls). Order statistics, moments, CDF points, bins, KS
 * and Wasserstein then come from one pass in JavaScript, in constant memory. Cumulative window
 * functions and ordered aggregates in SQL cost seconds per column once a column has millions of
 * distinct values (any real-valued column).
 */
export async function forEachSortedValue(
  engine: Engine,
  columns: CountedColumn[],
  visit: SortedVisitor,
): Promise<void> {
  // TRY_CAST: a text column whose values read as numbers is compared as numbers.
  const sides = columns.map(
    (column, index) =>
      `SELECT TRY_CAST(v AS DOUBLE) AS v, ${index} AS side, CAST(n AS DOUBLE) AS n FROM ${countsOf(column)} WHERE TRY_CAST(v AS DOUBLE) IS NOT NULL`,
  );
  const result = await engine.connection.stream(`${sides.join(' UNION ALL ')} ORDER BY v`);
  const counts = new Array<number>(columns.length).fill(0);
  let current = Number.NaN;
  for (;;) {
    const chunk = await result.fetchChunk();
    // rowCount is a native call: read once per chunk, not per row (it took most of a pass's time).
    const rows = chunk?.rowCount ?? 0;
    if (rows === 0) break;
    const values = chunk!.getColumnVector(0);
    const side = chunk!.getColumnVector(1);
    const n = chunk!.getColumnVector(2);
    for (let row = 0; row < rows; row++) {
      // -0 and 0 are one value (whichever sign a thread counted first).
      const value = (values.getItem(row) as number) + 0;
      if (value !== current) {
        if (current === current) visit(current, counts);
        for (let index = 0; index < counts.length; index++) counts[index] = 0;
        current = value;
      }
      counts[side.getItem(row) as number] += n.getItem(row) as number;
    }
  }
  if (current === current) visit(current, counts);
}
