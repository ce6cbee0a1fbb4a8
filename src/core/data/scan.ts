import { readError } from './read-errors.js';
import { sqlIdentifier } from './source.js';
import {
  attachDataset,
  columnKind,
  isTypeGuessError,
  plainValue,
  type AttachOptions,
  type ColumnKind,
  type Dataset,
  type Engine,
  type TypedColumn,
} from './reader.js';

/**
 * One pass over a data file: the value counts of every column (and of every multi-column key) with
 * GROUP BY GROUPING SETS, kept as a DuckDB table. Profile, per-value contract rules, uniqueness and
 * drift are then answered from those counts, never from the file again; only the rows of failing
 * examples are looked up by a second, early-stopping scan.
 */
export interface CountedColumn extends TypedColumn {
  /** Temp table of value counts holding this column. */
  table: string;
  /** This column's field in that table (positional, see countField). */
  field: string;
  /** GROUPING_ID of this column's grouping set in that table. */
  gid: number;
}

export interface CountedKey {
  columns: string[];
  table: string;
  /** The key columns' fields in that table, in key order. */
  fields: string[];
  gid: number;
}

export interface Scan {
  dataset: Dataset;
  rows: number;
  columns: CountedColumn[];
  keys: CountedKey[];
}

const BATCH = 40;

export function q(name: string): string {
  return sqlIdentifier(name);
}

/** The expression a column is counted, compared and shown by: nested types as JSON text. */
export function columnExpression(name: string, kind: ColumnKind): string {
  return kind === 'other' ? `CAST(to_json(${q(name)}) AS VARCHAR)` : q(name);
}

/**
 * A data column's field in a count table: positional (`c0`, `c1`, …), never the column's own name, so
 * a data column named like the table's grouping id or count (`g`, `n`) cannot clash with them.
 */
function countField(position: number): string {
  return `c${position}`;
}

/** The counts of one column as (v, n) rows, NULL v included. */
export function countsOf(column: CountedColumn): string {
  return `(SELECT ${column.field} AS v, n FROM ${column.table} WHERE g = ${column.gid})`;
}

function gidFor(all: string[], grouped: string[]): number {
  const full = 2 ** all.length - 1;
  return grouped.reduce((gid, name) => gid - 2 ** (all.length - 1 - all.indexOf(name)), full);
}

/**
 * Counts an attached data file. When the sampled type guess meets a value of another type deep in
 * the file, the file is attached again with every row sniffed and counted again.
 */
export async function scanDataset(
  engine: Engine,
  attached: Dataset,
  options: AttachOptions & { keys?: string[][]; onCounting?: () => void } = {},
): Promise<Scan> {
  try {
    return await countValues(engine, attached, options.keys ?? [], options.onCounting);
  } catch (error) {
    if (!isTypeGuessError(error) || options.fullSniff) throw readError(attached, error);
    const dataset = await attachDataset(engine, attached.file, attached.view, {
      ...options,
      fullSniff: true,
    });
    try {
      return await countValues(engine, dataset, options.keys ?? [], options.onCounting);
    } catch (retryError) {
      throw readError(dataset, retryError);
    }
  }
}

/** `onCounting` runs once DuckDB has the first count query: JavaScript work can then overlap the count. */
async function countValues(
  engine: Engine,
  dataset: Dataset,
  keys: string[][],
  onCounting?: () => void,
): Promise<Scan> {
  const { connection } = engine;
  const names = dataset.columns.map((column) => column.name);
  const columns: CountedColumn[] = [];
  const countedKeys: CountedKey[] = [];
  const batches: string[][] = [];
  for (let start = 0; start < names.length; start += BATCH) batches.push(names.slice(start, start + BATCH));
  for (const [index, batch] of batches.entries()) {
    // A key with a column the data lacks is not counted (its rule fails as such).
    const batchKeys =
      index === 0 ? keys.filter((key) => key.length > 1 && key.every((name) => names.includes(name))) : [];
    const listed = [...batch, ...batchKeys.flat().filter((name) => !batch.includes(name))].filter(
      (name, position, all) => all.indexOf(name) === position,
    );
    const table = `${dataset.view}_counts_${index}`;
    const kinds = new Map(dataset.columns.map((column) => [column.name, columnKind(column.sqlType)]));
    const field = (name: string) => countField(listed.indexOf(name));
    const select = listed
      .map((name) => `${columnExpression(name, kinds.get(name)!)} AS ${field(name)}`)
      .join(', ');
    const sets = [
      ...batch.map((name) => `(${field(name)})`),
      ...batchKeys.map((key) => `(${key.map(field).join(', ')})`),
    ];
    const identifiers = listed.map(field).join(', ');
    const counting = connection.run(
      `CREATE OR REPLACE TABLE ${table} AS
       SELECT grouping_id(${identifiers}) AS g, ${identifiers}, count(*) AS n
       FROM (SELECT ${select} FROM ${q(dataset.view)})
       GROUP BY GROUPING SETS (${sets.join(', ')})`,
    );
    if (index === 0) onCounting?.();
    await counting;
    for (const name of batch) {
      const info = dataset.columns.find((column) => column.name === name)!;
      columns.push({
        name,
        sqlType: info.sqlType,
        kind: kinds.get(name)!,
        table,
        field: field(name),
        gid: gidFor(listed, [name]),
      });
    }
    for (const key of batchKeys)
      countedKeys.push({ columns: key, table, fields: key.map(field), gid: gidFor(listed, key) });
  }
  const first = columns[0];
  const total = await scalar(engine, `SELECT coalesce(sum(n), 0) FROM ${countsOf(first)}`);
  return { dataset, rows: Number(total), columns, keys: countedKeys };
}

export async function scalar(engine: Engine, sql: string): Promise<unknown> {
  const reader = await engine.connection.runAndReadAll(sql);
  const rows = reader.getRows();
  return rows.length ? plainValue(rows[0][0]) : null;
}

export async function queryObjects(engine: Engine, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await engine.connection.runAndReadAll(sql);
  return reader
    .getRowObjects()
    .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, plainValue(value)])));
}

/**
 * Streams the rows of a data file in file order with their 1-based row number (`__row`), chunk by
 * chunk, from the first `head` rows only when given; `visit` returns false to stop early.
 */
export async function streamRows(
  engine: Engine,
  dataset: Dataset,
  selectList: string,
  where: string | undefined,
  visit: (rows: Record<string, unknown>[]) => boolean | void,
  head?: number,
): Promise<void> {
  const source = head === undefined ? q(dataset.view) : `(SELECT * FROM ${q(dataset.view)} LIMIT ${head})`;
  const sql = `SELECT * FROM (SELECT row_number() OVER () AS __row, ${selectList} FROM ${source})${where ? ` WHERE ${where}` : ''}`;
  try {
    const result = await engine.connection.stream(sql);
    for await (const chunk of result.yieldRowObjects()) {
      const rows = chunk.map((row) => {
        const plain: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) plain[key] = plainValue(value);
        return plain;
      });
      if (visit(rows) === false) break;
    }
  } catch (error) {
    throw readError(dataset, error);
  }
}
