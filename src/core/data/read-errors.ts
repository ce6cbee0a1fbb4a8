import { InputError } from '../errors.js';
import type { DataFormat } from './source.js';

/**
 * DuckDB's reader errors, said in the user's terms: which data row (1-based, the header not counted,
 * as every other message numbers rows), which column, and what is wrong with it. DuckDB counts file
 * lines, echoes the SQL it was given and appends fixes that are DuckDB options; none of that helps
 * someone whose CSV is broken.
 */

interface Problem {
  message: string;
  row?: number;
  column?: string;
}

/** The problem a CSV error names, in words; undefined when it is none of the known kinds. */
function csvProblem(text: string): Omit<Problem, 'row'> | undefined {
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
  if (fields) return { message: `has ${fields[2]} fields, but the header has ${fields[1]}` };
  if (/unterminated quote/i.test(text))
    return { message: 'a quoted field is never closed (unterminated quote)' };
  if (/Invalid unicode|not utf-8 encoded/i.test(text))
    return { message: 'is not UTF-8 text (invalid byte sequence); save the file as UTF-8' };
  const conversion = /converting column "(.+?)"\.\s*Could not convert string "(.*?)" to '(\w+)'/s.exec(text);
  if (conversion) {
    const guessed = /auto-detected/i.test(text)
      ? " (the type was guessed from the first rows; make the column's values consistent)"
      : '';
    return { message: `"${conversion[2]}" is not a ${conversion[3]}${guessed}`, column: conversion[1] };
  }
  return undefined;
}

/** DuckDB's first lines, without the SQL it echoes (`LINE 1: …`) or its list of reader options to try. */
function plainText(text: string): string {
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(LINE \d+:|Possible (fixes|Solution)|\* |file = )/.test(line)) break;
    if (line.trim()) kept.push(line.trim());
  }
  return kept.slice(0, 3).join(' ');
}

function problemOf(text: string): Problem {
  const csvLine = /CSV Error on Line: (\d+)/.exec(text);
  if (csvLine) {
    const line = Number(csvLine[1]);
    const known = csvProblem(text);
    // DuckDB counts records with the header as 1 (a sniffed `skip` moves it, which its count does
    // not tell); a quoted field that spans lines makes that count differ from the file's line.
    const row = line > 1 ? line - 1 : undefined;
    if (known) return { ...known, row };
    return { message: `${plainText(text).replace(/^.*?Error: /, '')}`, row };
  }
  // DuckDB's JSON line numbers are off (one past the malformed line here), so none is given as a row.
  return { message: plainText(text).replace(/^[A-Z][A-Za-z ]*Error: /, '') };
}

/** A file as a read error names it: DuckDB counts the lines before the header (comments) as rows too. */
export interface ReadSource {
  file: string;
  format: DataFormat;
  linesBeforeHeader?: number;
}

/** The InputError for a file DuckDB could not read (exit code 2). */
export function readError({ file, format, linesBeforeHeader = 0 }: ReadSource, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const { message, row, column } = problemOf(text);
  const dataRow = row !== undefined && row > linesBeforeHeader ? row - linesBeforeHeader : undefined;
  return new InputError(`cannot read as ${format}: ${message}`, {
    file,
    ...(dataRow !== undefined ? { row: dataRow } : {}),
    ...(column !== undefined ? { column } : {}),
  });
}
