import { join } from 'node:path';
import { cellFrom, cellSelect, type CellContext } from './cells.js';
import { columnKind, plainValue, readFailure, type Dataset, type Engine } from './reader.js';
import { columnExpression, q, streamRows } from './scan.js';
import { sqlString } from './source.js';

/** Up to this many example rows are shown per failing rule. */
export const MAX_SAMPLES = 20;

/**
 * Rows read in file order (one core) before the whole file is searched in parallel: enough for rules
 * that fail often, a small share of a large file.
 */
export const HEAD_ROWS = 16_384;

export interface Sample {
  row: number;
  column: string;
  value: unknown;
  message?: string;
}

/** The rows one rule wants examples of: a predicate over the data view's row, and the columns to show. */
export interface ExampleQuery {
  rowPredicate: string;
  columns: string[];
  /** How many rows of the file fail the rule (from the counts). */
  failingRows: number;
}

let tableCounter = 0;

/**
 * The first targets[i] rows matching queries[i], in file order, with their row numbers, out of a
 * file of `rows` rows. When every rule fails often enough, the file's head is read in order first
 * (one core, stopping once every target is met). Otherwise one parallel pass writes every row's rule
 * flags, and the shown cells of failing rows, to a table in a scratch database file: an ordered
 * insert keeps file order, so a row id is the row's number (DuckDB gives a CSV row no number in a
 * parallel scan). On disk and compressed, the table costs little more than the failing rows, not
 * memory in proportion to the data.
 */
export async function scanExamples(
  engine: Engine,
  dataset: Dataset,
  queries: ExampleQuery[],
  contexts: Map<string, CellContext>,
  targets: number[],
  rows: number,
): Promise<Sample[][]> {
  const kinds = new Map(dataset.columns.map((column) => [column.name, columnKind(column.sqlType)]));
  const shown = [...new Set(queries.flatMap((query) => query.columns))];
  const flags = queries.map((query, index) => `(${query.rowPredicate}) AS ${q(`r${index}`)}`);
  const flagNames = queries.map((_, index) => q(`r${index}`));
  const anyFlag = flagNames.join(' OR ');
  /** The select-list items that show each shown column, read through expressionOf(name, index). */
  const cells = (expressionOf: (name: string, index: number) => string) =>
    shown.map((name, index) => {
      const context = contexts.get(name);
      const expression = expressionOf(name, index);
      return context ? cellSelect(context, expression, `s${index}`) : `${expression} AS ${q(`s${index}`)}`;
    });
  const valueOf = (row: Record<string, unknown>, name: string) => {
    const index = shown.indexOf(name);
    const context = contexts.get(name);
    const value = context ? cellFrom(context, row, `s${index}`) : row[`s${index}`];
    return value === undefined ? null : value;
  };
  const collect = (found: Sample[][], rows: Record<string, unknown>[]) => {
    for (const row of rows) {
      queries.forEach(({ columns }, index) => {
        if (row[`r${index}`] !== true || found[index].length >= targets[index]) return;
        const value =
          columns.length === 1
            ? valueOf(row, columns[0])
            : Object.fromEntries(columns.map((name) => [name, valueOf(row, name)]));
        found[index].push({ row: Number(row.__row), column: columns.join('+'), value });
      });
    }
  };
  const missing = (found: Sample[][]) => queries.some((query, index) => found[index].length < targets[index]);

  const head: Sample[][] = queries.map(() => []);
  if (!missing(head)) return head;
  const rawCell = (name: string) => columnExpression(name, kinds.get(name)!);
  // The head is worth reading only when every rule fails often enough to show its examples there.
  const headShare = Math.min(1, HEAD_ROWS / rows);
  if (queries.every((query, index) => query.failingRows * headShare >= targets[index])) {
    await streamRows(
      engine,
      dataset,
      [...flags, ...cells(rawCell)].join(', '),
      anyFlag,
      (chunk) => {
        collect(head, chunk);
        return missing(head);
      },
      HEAD_ROWS,
    );
    if (!missing(head)) return head;
  }

  // The whole file in parallel; the cells of rows that fail no rule are NULL.
  await engine.connection.run(
    `ATTACH IF NOT EXISTS ${sqlString(join(engine.folder, 'examples.duckdb'))} AS mlops_examples`,
  );
  const table = `mlops_examples.flags_${++tableCounter}`;
  const raw = shown.map((name, index) => `${rawCell(name)} AS ${q(`x${index}`)}`);
  try {
    await engine.connection.run(
      `CREATE TABLE ${table} AS
       SELECT ${[...flagNames, ...cells((_, index) => `CASE WHEN ${anyFlag} THEN ${q(`x${index}`)} END`)].join(', ')}
       FROM (SELECT ${[...flags, ...raw].join(', ')} FROM ${q(dataset.view)})`,
    );
  } catch (error) {
    throw readFailure(dataset, error);
  }
  const firstRows = flagNames.map(
    (flag, index) => `(SELECT rowid FROM ${table} WHERE ${flag} ORDER BY rowid LIMIT ${targets[index]})`,
  );
  const reader = await engine.connection.runAndReadAll(
    `SELECT rowid + 1 AS __row, * FROM ${table} WHERE rowid IN (${firstRows.join(' UNION ALL ')}) ORDER BY rowid`,
  );
  const found: Sample[][] = queries.map(() => []);
  collect(
    found,
    reader
      .getRowObjects()
      .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, plainValue(value)]))),
  );
  await engine.connection.run(`DROP TABLE ${table}`);
  return found;
}
