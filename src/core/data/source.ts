import { stat } from 'node:fs/promises';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { InputError } from '../errors.js';
import { CSV_BUFFER, MISSING_MARKERS, diagnoseText, headerOptions, inspectTextHead } from './csv-reader.js';
import { checkGzip, isGzip } from './gzip-check.js';
import { readError } from './read-errors.js';

export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'jsonl';

export interface ColumnInfo {
  name: string;
  /** DuckDB's type name, e.g. DOUBLE, BIGINT, VARCHAR, TIMESTAMP. */
  sqlType: string;
}

/** A data file opened through DuckDB as the view `source`; the file is scanned by SQL, never loaded into JS. */
export interface DataSource {
  file: string;
  format: DataFormat;
  /** Comment or blank lines before a CSV/TSV header (read errors count rows after them). */
  linesBeforeHeader: number;
  connection: DuckDBConnection;
  columns: ColumnInfo[];
  close(): void;
}

const FORMAT_BY_EXTENSION: [RegExp, DataFormat][] = [
  [/\.csv(\.gz)?$/i, 'csv'],
  [/\.tsv(\.gz)?$/i, 'tsv'],
  [/\.parquet$/i, 'parquet'],
  [/\.(jsonl|ndjson)(\.gz)?$/i, 'jsonl'],
];

export function detectFormat(file: string): DataFormat {
  const match = FORMAT_BY_EXTENSION.find(([pattern]) => pattern.test(file));
  if (!match) {
    throw new InputError('unsupported file type; expected .csv, .tsv, .parquet or .jsonl (optionally .gz)', {
      file,
    });
  }
  return match[1];
}

export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Column types are guessed from a sample of rows (DuckDB's default 20,480), not the whole file: a
 * full sniff of a 1M-row file took ~4.7 s. A later value that does not fit the guessed type fails
 * the query with DuckDB's conversion error, which names the line and the column.
 */
function readerSql(file: string, format: DataFormat, linesBeforeHeader: number): string {
  const path = sqlString(file);
  // The cells that mean "missing" (validate-data reads text files with the same list).
  const missingCells = `nullstr = [${MISSING_MARKERS.map(sqlString).join(', ')}]`;
  switch (format) {
    case 'csv':
      return `read_csv(${path}, header = true, strict_mode = true, ${missingCells}, ${CSV_BUFFER}, ${headerOptions(linesBeforeHeader)})`;
    case 'tsv':
      return `read_csv(${path}, header = true, delim = '\t', strict_mode = true, ${missingCells}, ${CSV_BUFFER}, ${headerOptions(linesBeforeHeader)})`;
    case 'parquet':
      return `read_parquet(${path})`;
    case 'jsonl':
      // Types from every row, as validate-data reads JSONL (a sample let a late 1.5 read as 2).
      return `read_json(${path}, format = 'newline_delimited', sample_size = -1)`;
  }
}

/**
 * When DuckDB's sniffer cannot settle the dialect of a broken CSV (a row with an extra field, an
 * unterminated quote), it reads the whole line as one column named like the header: read it again
 * with the header's columns fixed, so that DuckDB names the line and the problem.
 */
async function refuseUndetectedDialect(
  connection: DuckDBConnection,
  file: string,
  format: DataFormat,
  columns: ColumnInfo[],
  linesBeforeHeader: number,
): Promise<void> {
  if ((format !== 'csv' && format !== 'tsv') || columns.length !== 1) return;
  if (!columns[0].name.includes(format === 'tsv' ? '\t' : ',')) return;
  const sniffed = new Error('not possible to automatically detect the CSV dialect');
  const cause = await diagnoseText(connection, file, format, sniffed);
  if (cause !== sniffed) throw readError({ file, format, linesBeforeHeader }, cause);
}

export async function openDataSource(file: string): Promise<DataSource> {
  const format = detectFormat(file);
  const info = await stat(file).catch(() => {
    throw new InputError('file not found or not readable', { file });
  });
  if (!info.isFile()) throw new InputError('not a regular file', { file });
  if (info.size === 0) throw new InputError('file is empty', { file });

  if (isGzip(file)) await checkGzip(file);
  const before = format === 'parquet' ? 0 : await inspectTextHead(file, format);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    await connection.run(`CREATE TEMP VIEW source AS SELECT * FROM ${readerSql(file, format, before)}`);
    const described = await connection.runAndReadAll('DESCRIBE SELECT * FROM source');
    const columns = described.getRowObjects().map((row) => ({
      name: String(row.column_name),
      sqlType: String(row.column_type),
    }));
    if (columns.length === 0) throw new InputError('no columns found', { file });
    await refuseUndetectedDialect(connection, file, format, columns, before);
    return { file, format, linesBeforeHeader: before, connection, columns, close };
  } catch (error) {
    if (error instanceof InputError) {
      close();
      throw error;
    }
    // When the sniffer cannot settle the dialect, read the header's columns as text: DuckDB then names the row and the problem.
    const sniffFailed = /not possible to automatically detect/i.test(String((error as Error)?.message));
    try {
      const cause =
        sniffFailed && (format === 'csv' || format === 'tsv')
          ? await diagnoseText(connection, file, format, error)
          : error;
      throw readError({ file, format, linesBeforeHeader: before }, cause);
    } finally {
      close();
    }
  }
}

/** Runs a query over `source`, mapping reader failures (a bad row deep in the file) to an InputError naming the file. */
export async function queryRows(source: DataSource, sql: string): Promise<Record<string, unknown>[]> {
  try {
    const reader = await source.connection.runAndReadAll(sql);
    return reader.getRowObjects() as Record<string, unknown>[];
  } catch (error) {
    throw readError(source, error);
  }
}

export function requireColumns(source: DataSource, names: string[], purpose: string): void {
  const present = new Set(source.columns.map((column) => column.name));
  const missing = names.filter((name) => !present.has(name));
  if (missing.length) {
    throw new InputError(
      `${purpose} needs column ${missing.map((name) => `"${name}"`).join(', ')}, which the data lacks (columns: ${[...present].join(', ')})`,
      { file: source.file, column: missing[0] },
    );
  }
}
