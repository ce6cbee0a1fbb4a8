import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../errors.js';
import {
  detectFormat,
  duckdbMessage,
  sqlIdentifier,
  sqlString,
  type ColumnInfo,
  type DataFormat,
} from './source.js';

/**
 * The validate-data plane: one DuckDB database (in memory, spilling to a private temp folder under a
 * memory limit) in which each data file is a view over its reader. Files are scanned by SQL; rows
 * reach JavaScript only in bounded chunks.
 */
export interface Engine {
  connection: DuckDBConnection;
  close(): Promise<void>;
}

/** Cells that mean "missing" in text files, besides the empty cell (as pandas reads them). */
export const MISSING_MARKERS = ['', 'NA', 'N/A', 'NULL', 'null', 'None'];

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
  return {
    connection,
    async close() {
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
}

export interface AttachOptions {
  /** Columns to read as text whatever they look like (CSV/TSV only): the contract says they are strings. */
  textColumns?: string[];
  /** Sniff the types from every row instead of a sample (used after a sampled guess failed deep in the file). */
  fullSniff?: boolean;
}

function readerSql(file: string, format: DataFormat, options: AttachOptions): string {
  const path = sqlString(file);
  const sample = options.fullSniff ? -1 : 20480;
  const nulls = `nullstr = [${MISSING_MARKERS.map(sqlString).join(', ')}]`;
  const types = options.textColumns?.length
    ? `, types = {${options.textColumns.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(', ')}}`
    : '';
  switch (format) {
    case 'csv':
    case 'tsv': {
      return `read_csv(${path}, header = true, strict_mode = true, ${dialect(format)}, sample_size = ${sample}, ${nulls}${types})`;
    }
    case 'parquet':
      return `read_parquet(${path})`;
    case 'jsonl':
      return `read_json(${path}, format = 'newline_delimited', sample_size = ${sample})`;
  }
}

/** The extension decides the delimiter; quoting is RFC 4180's (so a stray quote is an error, not text). */
function dialect(format: 'csv' | 'tsv'): string {
  return `delim = ${format === 'tsv' ? "'\t'" : "','"}, quote = '"', escape = '"'`;
}

/** Splits one CSV line (RFC 4180 quoting) into its fields. */
function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/**
 * When DuckDB's sniffer gives up ("not possible to automatically detect the CSV parsing dialect"),
 * read the file again with the header's columns as text and the dialect fixed: DuckDB then names
 * the line and the problem (too many fields, an unterminated quote).
 */
async function diagnoseText(
  engine: Engine,
  file: string,
  format: 'csv' | 'tsv',
  original: unknown,
): Promise<unknown> {
  const text = await readHead(file);
  const header = text.split(/\r?\n/)[0] ?? '';
  const names = splitLine(header, format === 'tsv' ? '\t' : ',');
  if (!names.length || names.some((name) => name === '')) return original;
  const columns = names.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(', ');
  try {
    await engine.connection.run(
      `SELECT count(*) FROM read_csv(${sqlString(file)}, auto_detect = false, header = true, strict_mode = true, ${dialect(format)}, columns = {${columns}})`,
    );
  } catch (error) {
    return error;
  }
  return original;
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Reader failures that a full type sniff can cure: a sampled guess met a value of another type. */
export function isTypeGuessError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /Conversion Error|Could not convert|could not be cast|Error when converting/i.test(text);
}

export function readFailure(dataset: { file: string; format: DataFormat }, error: unknown): InputError {
  if (error instanceof InputError) return error;
  return new InputError(`cannot read as ${dataset.format}: ${duckdbMessage(error)}`, { file: dataset.file });
}

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
  const textColumns = format === 'csv' || format === 'tsv' ? options.textColumns : undefined;
  try {
    await engine.connection.run(
      `CREATE OR REPLACE TEMP VIEW ${sqlIdentifier(view)} AS SELECT * FROM ${readerSql(file, format, { ...options, textColumns })}`,
    );
    const described = await engine.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${sqlIdentifier(view)}`);
    const columns = described.getRowObjects().map((row) => ({
      name: String(row.column_name),
      sqlType: String(row.column_type),
    }));
    if (columns.length === 0) throw new InputError('no columns found', { file });
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column.name))
        throw new InputError('the column name appears twice', { file, column: column.name });
      seen.add(column.name);
    }
    return { file, format, view, bytes: info.size, columns };
  } catch (error) {
    const sniffFailed = /not possible to automatically detect/i.test(String((error as Error)?.message));
    const cause =
      sniffFailed && (format === 'csv' || format === 'tsv')
        ? await diagnoseText(engine, file, format, error)
        : error;
    throw readFailure({ file, format }, cause);
  }
}

/** sha256 of the whole file, streamed (never held in memory). */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (error) => reject(new InputError(`cannot read: ${error.message}`, { file })))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export type ColumnKind = 'numeric' | 'boolean' | 'string' | 'datetime' | 'other';

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
