import { join } from 'node:path';
import { cellFrom, cellSelect, type CellContext } from './cells.js';
import { readError } from './read-errors.js';
import { columnKind, plainValue, type Dataset, type Engine } from './reader.js';
import { columnExpression, q } from './scan.js';
import { sqlString } from './source.js';

/** Up to this many example rows are shown per failing rule. */
export const MAX_SAMPLES = 20;

/**
 * Rows read first (in file order) before the whole file is searched in parallel: enough for rules
 * that fail often, a small share of a large file.
 */
export const HEAD_ROWS = 16_384;

export interface Sample {
  row: number;
  column: string;
  value: unknown;
  message?: string;
}

/**
 * The rows one rule wants examples of: a predicate over the data view's row that reads only the
 * columns shown (and any table), and those columns.
 */
export interface ExampleQuery {
  rowPredicate: string;
  columns: string[];
  /** How many rows of the file fail the rule (from the counts). */
  failingRows: number;
}

let tableCounter = 0;

/** A name for a row-id column beside the given column names (DuckDB matches names in any case). */
function freeName(base: string, taken: string[]): string {
  const lower = new Set(taken.map((name) => name.toLowerCase()));
  let name = base;
  while (lower.has(name.toLowerCase())) name = `_${name}`;
  return name;
}

/**
 * The first targets[i] rows matching queries[i], in file order, with their row numbers, out of a
 * file of `rows` rows.
 *
 * One ordered insert copies the shown columns of every row into a table in a scratch database file
 * (on disk and compressed, not in memory); a row id of that table is the row's number (DuckDB gives
 * a CSV row no number in a parallel scan). The predicates run afterwards, over that table, against
 * the explicit row ids: evaluated during the copy, an IN list or a subquery becomes a join that
 * DuckDB may plan with the file on its build side, and the copy then loses file order. When every
 * rule fails often enough to show its examples in the first HEAD_ROWS rows, those are copied first.
 */
export async function scanExamples(
  engine: Engine,
  dataset: Dataset,
  queries: ExampleQuery[],
  contexts: Map<string, CellContext>,
  targets: number[],
  rows: number,
): Promise<Sample[][]> {
  if (queries.every((_, index) => targets[index] <= 0)) return queries.map(() => []);
  await engine.connection.run(
    `ATTACH IF NOT EXISTS ${sqlString(join(engine.folder, 'examples.duckdb'))} AS mlops_examples`,
  );
  const headShare = Math.min(1, HEAD_ROWS / rows);
  if (queries.every((query, index) => query.failingRows * headShare >= targets[index])) {
    const found = await examplesIn(
      engine,
      dataset,
      `(SELECT * FROM ${q(dataset.view)} LIMIT ${HEAD_ROWS})`,
      queries,
      contexts,
      targets,
    );
    if (found.every((samples, index) => samples.length >= targets[index])) return found;
  }
  return examplesIn(engine, dataset, q(dataset.view), queries, contexts, targets);
}

/** The examples among the rows of `source` (the data view, or its head), by the method of scanExamples. */
async function examplesIn(
  engine: Engine,
  dataset: Dataset,
  source: string,
  queries: ExampleQuery[],
  contexts: Map<string, CellContext>,
  targets: number[],
): Promise<Sample[][]> {
  const columns = [...new Set(queries.flatMap((query) => query.columns))];
  if (!columns.length) return queries.map(() => []);
  const table = `mlops_examples.rows_${++tableCounter}`;
  try {
    await engine.connection.run(
      `CREATE TABLE ${table} AS SELECT ${columns.map((name, index) => `${q(name)} AS ${q(`t${index}`)}`).join(', ')} FROM ${source}`,
    );
  } catch (error) {
    throw readError(dataset, error);
  }
  try {
    // The copied columns under their own names, next to an explicit row id.
    const rowId = freeName('mlops_row', columns);
    const named = `(SELECT rowid AS ${q(rowId)}, ${columns.map((name, index) => `${q(`t${index}`)} AS ${q(name)}`).join(', ')} FROM ${table})`;
    const ids: Set<number>[] = [];
    for (const [index, query] of queries.entries()) {
      if (!query.columns.length) {
        ids.push(new Set());
        continue;
      }
      const reader = await engine.connection.runAndReadAll(
        `SELECT ${q(rowId)} FROM ${named} WHERE ${query.rowPredicate} ORDER BY ${q(rowId)} LIMIT ${Math.max(0, targets[index])}`,
      );
      ids.push(new Set(reader.getRows().map((row) => Number(row[0]))));
    }
    const wanted = [...new Set(ids.flatMap((set) => [...set]))];
    const kinds = new Map(dataset.columns.map((column) => [column.name, columnKind(column.sqlType)]));
    const cells = columns.map((name, index) => {
      const context = contexts.get(name);
      // Shown as the counts show it (nested values as JSON text).
      const raw = columnExpression(`t${index}`, kinds.get(name)!);
      return context ? cellSelect(context, raw, `c${index}`) : `${raw} AS ${q(`c${index}`)}`;
    });
    const reader = await engine.connection.runAndReadAll(
      `SELECT rowid AS mlops_id, ${cells.join(', ')} FROM ${table}
       WHERE rowid IN (SELECT unnest([${wanted.join(', ')}]::BIGINT[])) ORDER BY rowid`,
    );
    const cellOf = (row: Record<string, unknown>, name: string) => {
      const alias = `c${columns.indexOf(name)}`;
      const context = contexts.get(name);
      const value = context ? cellFrom(context, row, alias) : row[alias];
      return value === undefined ? null : value;
    };
    const found: Sample[][] = queries.map(() => []);
    for (const raw of reader.getRowObjects()) {
      const row = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, plainValue(value)]));
      const id = Number(row.mlops_id);
      queries.forEach((query, index) => {
        if (!ids[index].has(id)) return;
        found[index].push({
          row: id + 1,
          column: query.columns.join('+'),
          value:
            query.columns.length === 1
              ? cellOf(row, query.columns[0])
              : Object.fromEntries(query.columns.map((name) => [name, cellOf(row, name)])),
        });
      });
    }
    return found;
  } finally {
    await engine.connection.run(`DROP TABLE ${table}`);
  }
}
