import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../errors.js';
import { readError } from './read-errors.js';
import {
  diagnoseText,
  inspectTextHead,
  pinnedCsvSql,
  sniffCsv,
  SNIFF_SAMPLE_ROWS,
  type CsvSniff,
} from './csv-reader.js';
import { detectFormat, sqlIdentifier, sqlString, type ColumnInfo, type DataFormat } from './source.js';

/**
 * The validate-data plane: one DuckDB database (in memory, spilling to a private temp folder under a
 * memory limit) in which each data file is a view over its reader. Files are scanned by SQL; rows
 * reach JavaScript only in bounded chunks. Views and tables live in the database (not a connection's
 * temp schema), so a further connection can scan while the first one answers other queries.
 */
export interface Engine {
  connection: DuckDBConnection;
  /** The engine's private temp folder (spill files, scratch databases), removed on close. */
  folder: string;
  /** Another connection to the same database, closed with the engine (to run a query alongside). */
  connect(): Promise<DuckDBConnection>;
  close(): Promise<void>;
}

/** DuckDB's memory limit: beyond it, aggregates spill to the temp folder (keeps a 1 GB file under 1 GB RSS). */
export const DEFAULT_MEMORY_LIMIT = '600MB';

export async function openEngine(options: { memoryLimit?: string; threads?: number } = {}): Promise<Engine> {
  const spill = await mkdtemp(join(tmpdir(), 'mlops-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    temp_directory: spill,
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  const connection = await instance.connect();
  const others: DuckDBConnection[] = [];
  return {
    connection,
    folder: spill,
    async connect() {
      const other = await instance.connect();
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others) other.closeSync();
      connection.closeSync();
      instance.closeSync();
      await rm(spill, { recursive: true, force: true });
    },
  };
}

/** A data file attached as a view, with its columns as DuckDB typed them. */
export interface Dataset {
  file: string;
  format: DataFormat;
  view: string;
  bytes: number;
  columns: ColumnInfo[];
  /** Comment or blank lines before a CSV/TSV header (read errors count rows after them). */
  linesBeforeHeader: number;
}

export interface AttachOptions {
  /**
   * Columns to read as text verbatim where DuckDB would read numbers or booleans (CSV/TSV only): the
   * contract says they are strings (leading zeros, codes).
   */
  textColumns?: string[];
  /** Sniff the types from every row instead of a sample (used after a sampled guess failed deep in the file). */
  fullSniff?: boolean;
  /** The sampled CSV/TSV sniff, when it was taken already (see sniffAhead). */
  sniffed?: CsvSniff;
}

/**
 * The reader of a Parquet or JSONL file. Parquet carries its types; JSONL types come from every row:
 * from a sample, DuckDB read a 1.5 after it in a BIGINT column as 2 without a word, and refused a key
 * first seen after it.
 */
function selfDescribedReaderSql(file: string, format: 'parquet' | 'jsonl'): string {
  return format === 'parquet'
    ? `read_parquet(${sqlString(file)})`
    : `read_json(${sqlString(file)}, format = 'newline_delimited', sample_size = -1)`;
}

/** Forces the contract's text columns to VARCHAR where the sniffer chose a number or a boolean. */
function withTextColumns(sniff: CsvSniff, textColumns: string[]): CsvSniff {
  const forced = new Set(textColumns);
  return {
    ...sniff,
    columns: sniff.columns.map((column) =>
      forced.has(column.name) && ['numeric', 'boolean'].includes(columnKind(column.sqlType))
        ? { ...column, sqlType: 'VARCHAR' }
        : column,
    ),
  };
}

/** The reader SQL of a file, with CSV/TSV sniffed once and pinned. */
async function readerSql(
  engine: Engine,
  file: string,
  format: DataFormat,
  options: AttachOptions,
  linesBeforeHeader: number,
): Promise<string> {
  if (format === 'parquet' || format === 'jsonl') return selfDescribedReaderSql(file, format);
  const sampleRows = options.fullSniff ? -1 : SNIFF_SAMPLE_ROWS;
  const sniff =
    (!options.fullSniff && options.sniffed) ||
    (await sniffCsv(engine.connection, file, format, sampleRows, linesBeforeHeader));
  return pinnedCsvSql(file, format, withTextColumns(sniff, options.textColumns ?? []));
}

/**
 * Takes a CSV/TSV file's sampled sniff ahead, while the contract is still being loaded (the sniff
 * does not depend on it). Undefined for other formats and on any failure: attachDataset then
 * sniffs again and reports the failure in its usual words.
 */
export async function sniffAhead(engine: Engine, file: string): Promise<CsvSniff | undefined> {
  try {
    const format = detectFormat(file);
    if (format !== 'csv' && format !== 'tsv') return undefined;
    return await sniffCsv(
      engine.connection,
      file,
      format,
      SNIFF_SAMPLE_ROWS,
      await inspectTextHead(file, format),
    );
  } catch {
    return undefined;
  }
}

/** Reader failures that a full type sniff can cure: a sampled guess met a value of another type. */
export function isTypeGuessError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /Conversion Error|Could not convert|could not be cast|Error when converting/i.test(text);
}

/**
 * The extension decides the delimiter: a .tsv file of commas (or a .csv file of tabs) reads as one
 * column named like the whole header, which no contract or model can use.
 */
function refuseOtherDelimiter(file: string, format: DataFormat, columns: ColumnInfo[]): void {
  if (columns.length !== 1 || (format !== 'csv' && format !== 'tsv')) return;
  const other = format === 'tsv' ? ',' : '\t';
  if (!columns[0].name.includes(other)) return;
  const [own, theirs] = format === 'tsv' ? ['tab', 'comma'] : ['comma', 'tab'];
  throw new InputError(
    `reads as one column: its header is separated by ${theirs}s, but a .${format} file is ${own}-separated (name a ${theirs}-separated file .${format === 'tsv' ? 'csv' : 'tsv'})`,
    { file },
  );
}

/**
 * Attaches a data file as a view (in the engine's database, so every connection of the engine sees
 * it) and reads its columns.
 */
export async function attachDataset(
  engine: Engine,
  file: string,
  view: string,
  options: AttachOptions = {},
): Promise<Dataset> {
  const format = detectFormat(file);
  const info = await stat(file).catch(() => {
    throw new InputError('file not found or not readable', { file });
  });
  if (!info.isFile()) throw new InputError('not a regular file', { file });
  if (info.size === 0) throw new InputError('file is empty', { file });
  const before = format === 'parquet' ? 0 : await inspectTextHead(file, format);
  try {
    const reader = await readerSql(engine, file, format, options, before);
    await engine.connection.run(`CREATE OR REPLACE VIEW ${sqlIdentifier(view)} AS SELECT * FROM ${reader}`);
    const described = await engine.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${sqlIdentifier(view)}`);
    const columns = described.getRowObjects().map((row) => ({
      name: String(row.column_name),
      sqlType: String(row.column_type),
    }));
    if (columns.length === 0) throw new InputError('no columns found', { file });
    refuseOtherDelimiter(file, format, columns);
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column.name))
        throw new InputError('the column name appears twice', { file, column: column.name });
      seen.add(column.name);
    }
    return { file, format, view, bytes: info.size, columns, linesBeforeHeader: before };
  } catch (error) {
    const sniffFailed = /not possible to automatically detect/i.test(String((error as Error)?.message));
    const cause =
      sniffFailed && (format === 'csv' || format === 'tsv')
        ? await diagnoseText(engine.connection, file, format, error)
        : error;
    throw readError({ file, format, linesBeforeHeader: before }, cause);
  }
}

/** sha256 of the whole file, read through one reused 1 MB buffer (never held in memory; no allocation per chunk). */
export async function sha256File(file: string): Promise<string> {
  const fail = (error: unknown) => new InputError(`cannot read: ${(error as Error).message}`, { file });
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw fail(error);
  });
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return hash.digest('hex');
      hash.update(buffer.subarray(0, bytesRead));
    }
  } catch (error) {
    throw fail(error);
  } finally {
    await handle.close();
  }
}

export type ColumnKind = 'numeric' | 'boolean' | 'string' | 'datetime' | 'other';

/** A column as the contract's rules see it: known from the attached file alone, before any count. */
export interface TypedColumn {
  name: string;
  sqlType: string;
  kind: ColumnKind;
}

/** How a DuckDB type is profiled and compared. */
export function columnKind(sqlType: string): ColumnKind {
  const type = sqlType.toUpperCase();
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(
      type,
    )
  )
    return 'numeric';
  if (type === 'BOOLEAN') return 'boolean';
  if (type === 'VARCHAR' || type.startsWith('ENUM') || type === 'UUID') return 'string';
  if (/^(DATE|TIME|TIMESTAMP)/.test(type)) return 'datetime';
  return 'other';
}

export function isIntegerType(sqlType: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/i.test(
    sqlType,
  );
}

export function isFloatType(sqlType: string): boolean {
  return /^(FLOAT|DOUBLE|REAL)$/i.test(sqlType);
}

/** Turns a DuckDB value into plain JSON data (bigint → number, temporal and other objects → text). */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(plainValue);
  if ((value as object).constructor?.name === 'DuckDBDecimalValue') return Number(String(value));
  return String(value);
}
