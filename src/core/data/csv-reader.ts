import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../errors.js';
import { withoutBom } from '../io/text.js';
import { isGzip } from './gzip-check.js';
import { sqlString, type ColumnInfo } from './source.js';

/**
 * CSV/TSV through DuckDB with the sniffer run once. A view over `read_csv` with auto-detection
 * sniffs the sample again every time a query binds it (≈50 ms on 20,480 rows, several times per
 * run); sniffing once with `sniff_csv` and pinning what it found (column types, date and timestamp
 * formats, skipped lines, comment character) in an `auto_detect = false` reader reads the same
 * values without that cost.
 */

/** Cells that mean "missing" in text files, besides the empty cell (as pandas reads them). */
export const MISSING_MARKERS = ['', 'NA', 'N/A', 'n/a', '#N/A', '<NA>', 'NULL', 'null', 'None'];

/** Sample rows the sniffer guesses types from (DuckDB's default); -1 reads every row. */
export const SNIFF_SAMPLE_ROWS = 20480;

/**
 * DuckDB's CSV reader allocates 32 MB buffers by default; on a fresh engine, faulting those pages in
 * cost a 2M-row count ~0.3 s (a cold sniff 120 ms against 60). 2 MB buffers still hold a line of
 * DuckDB's maximum line size (2,000,000 bytes) and read the same rows.
 */
export const CSV_BUFFER = 'buffer_size = 2097152';

export type TextFormat = 'csv' | 'tsv';

/** What the sniffer decided, to be pinned in the reader. */
export interface CsvSniff {
  columns: ColumnInfo[];
  dateFormat: string | null;
  timestampFormat: string | null;
  skip: number;
  comment: string | null;
}

/** The extension decides the delimiter; quoting is RFC 4180's (so a stray quote is an error, not text). */
export function dialect(format: TextFormat): string {
  return `delim = ${format === 'tsv' ? "'\t'" : "','"}, quote = '"', escape = '"'`;
}

/**
 * Where the header is: the first line that is not blank and not a `#` comment, the lines before it
 * being skipped. A `#` line with as many fields as the line after the comments is the header itself
 * (`#id,value`, `#CHROM`). Pinned for the sniffer and the reader, with no comment character after
 * it: DuckDB's sniffer otherwise may skip lines it finds inconsistent (it took a small file's ragged
 * row for the header and read the rows above as a preamble), and may take `#` for a comment
 * character and silently drop data rows that start with it (`#2` as an order number).
 */
function headerLineIn(text: string, file: string, format: TextFormat): { index: number; line: string } {
  const lines = withoutBom(text).split(/\r\n|\r|\n/);
  const delimiter = format === 'tsv' ? '\t' : ',';
  const blank = (line: string) => line.trim() === '';
  const plain = lines.find((line) => !blank(line) && !line.startsWith('#'));
  const fields = plain === undefined ? 0 : splitLine(plain, delimiter).length;
  const index = lines.findIndex(
    (line) =>
      !blank(line) && (!line.startsWith('#') || (fields > 1 && splitLine(line, delimiter).length === fields)),
  );
  if (index < 0) throw new InputError('has no header: only blank lines (or # comments)', { file });
  return { index, line: lines[index] };
}

/**
 * What the first 64 KB of a text data file tell, read once: it is refused unless UTF-8, and for
 * CSV/TSV the count of lines before the header (see headerLineIn) is returned (0 for JSONL).
 */
export async function inspectTextHead(file: string, format: TextFormat | 'jsonl'): Promise<number> {
  const head = await readHead(file);
  refuseWideText(head, file);
  return format === 'jsonl' ? 0 : headerLineIn(head.toString('utf8'), file, format).index;
}

/** The reader options that pin the header line after `linesBeforeHeader` lines (see headerLineIn). */
export function headerOptions(linesBeforeHeader: number): string {
  return `skip = ${linesBeforeHeader}, comment = ''`;
}

function commonOptions(format: TextFormat): string {
  const nulls = `nullstr = [${MISSING_MARKERS.map(sqlString).join(', ')}]`;
  return `header = true, strict_mode = true, ${dialect(format)}, ${nulls}, ${CSV_BUFFER}`;
}

export async function sniffCsv(
  connection: DuckDBConnection,
  file: string,
  format: TextFormat,
  sampleRows: number,
  linesBeforeHeader: number,
): Promise<CsvSniff> {
  const reader = await connection.runAndReadAll(
    `SELECT Columns AS columns, DateFormat AS date_format, TimestampFormat AS timestamp_format, SkipRows AS skip, Comment AS comment
     FROM sniff_csv(${sqlString(file)}, ${commonOptions(format)}, ${headerOptions(linesBeforeHeader)}, sample_size = ${sampleRows})`,
  );
  const [row] = reader.getRowObjectsJS() as {
    columns: { name: string; type: string }[];
    date_format: string | null;
    timestamp_format: string | null;
    skip: number | bigint;
    comment: string | null;
  }[];
  return {
    columns: row.columns.map((column) => ({ name: column.name, sqlType: column.type })),
    dateFormat: row.date_format || null,
    timestampFormat: row.timestamp_format || null,
    skip: Number(row.skip),
    // sniff_csv shows "no comment character" as the text "(empty)".
    comment: row.comment && row.comment !== '(empty)' ? row.comment : null,
  };
}

/** A `read_csv` call that reads the file exactly as the sniffer decided, without sniffing again. */
export function pinnedCsvSql(file: string, format: TextFormat, sniff: CsvSniff): string {
  const nul = sniff.columns.findIndex((column) => column.name.includes('\u0000'));
  if (nul >= 0)
    throw new InputError(`the header's field ${nul + 1} holds a NUL byte: this is not a text file`, { file });
  const columns = sniff.columns
    .map((column) => `${sqlString(column.name)}: ${sqlString(column.sqlType)}`)
    .join(', ');
  const options = [
    commonOptions(format),
    'auto_detect = false',
    `columns = {${columns}}`,
    `skip = ${sniff.skip}`,
    `comment = ${sqlString(sniff.comment ?? '')}`,
    ...(sniff.dateFormat ? [`dateformat = ${sqlString(sniff.dateFormat)}`] : []),
    ...(sniff.timestampFormat ? [`timestampformat = ${sqlString(sniff.timestampFormat)}`] : []),
  ];
  return `read_csv(${sqlString(file)}, ${options.join(', ')})`;
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

const HEAD_BYTES = 65536;

/**
 * Decompresses the start of a gzip stream until HEAD_BYTES come out, not further (repetitive text can
 * inflate a thousandfold). A cut or corrupt stream gives what came out: the whole-file gzip check
 * names the problem.
 */
function gunzipHead(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).subarray(0, HEAD_BYTES));
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= HEAD_BYTES) gunzip.destroy();
    });
    gunzip.on('error', done);
    gunzip.on('close', done);
    gunzip.end(bytes);
  });
}

/** The first 64 KB of a text file (decompressed when it is a .gz, as far as its first bytes go). */
async function readHead(file: string): Promise<Buffer> {
  const gzip = isGzip(file);
  const handle = await open(file, 'r');
  try {
    // Text compresses well: 256 KB of gzip holds far more than 64 KB of text.
    const buffer = Buffer.alloc(gzip ? 4 * HEAD_BYTES : HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    // A corrupt stream reads as no text here: the whole-file gzip check names it.
    return (gzip ? await gunzipHead(bytes) : bytes).subarray(0, HEAD_BYTES);
  } finally {
    await handle.close();
  }
}

/**
 * Refuses text that is not UTF-8 by its first bytes: a UTF-16 byte-order mark, or NUL bytes (UTF-16
 * without a mark, or binary). DuckDB would read such a file as one garbled column and fail later with
 * a message about quotes or SQL.
 */
function refuseWideText(head: Buffer, file: string): void {
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (utf16)
    throw new InputError(
      'is UTF-16 or UTF-32 text (it starts with such a byte-order mark); save the file as UTF-8',
      { file },
    );
  if (head.includes(0))
    throw new InputError(
      'holds NUL bytes: this is not UTF-8 text (UTF-16, or a binary file); save it as UTF-8',
      { file },
    );
}

/**
 * When DuckDB's sniffer gives up ("not possible to automatically detect the CSV parsing dialect"),
 * read the file again with the header's columns as text and the dialect fixed: DuckDB then names
 * the line and the problem (too many fields, an unterminated quote).
 */
export async function diagnoseText(
  connection: DuckDBConnection,
  file: string,
  format: TextFormat,
  original: unknown,
): Promise<unknown> {
  const header = headerLineIn((await readHead(file)).toString('utf8'), file, format);
  const names = splitLine(header.line, format === 'tsv' ? '\t' : ',');
  if (!names.length || names.some((name) => name === '')) return original;
  const columns = names.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(', ');
  try {
    await connection.run(
      `SELECT count(*) FROM read_csv(${sqlString(file)}, auto_detect = false, header = true, strict_mode = true, ${dialect(format)}, skip = ${header.index}, comment = '', columns = {${columns}})`,
    );
  } catch (error) {
    return error;
  }
  return original;
}
