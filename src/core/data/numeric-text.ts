import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../errors.js';
import { sqlIdentifier } from './source.js';

/**
 * When a text column counts as numbers with bad cells: `numbers-only` (it feeds a numeric model input,
 * so any text cell is an error), or `mostly-numbers` (it could be a categorical feature: at least half
 * its values are numbers and its other values are a few words, such as "n/a", "?" or "missing").
 */
export type NumericExpectation = 'numbers-only' | 'mostly-numbers';
const FEW_WORDS = 5;

/**
 * Refuses text columns that hold numbers but for some cells ("n/a", "?", "12,5"): DuckDB then types
 * the whole column as text, and a model would silently one-hot encode a measurement, refuse its
 * target without saying why, or fail on a cast. Names the first such cell's row and value. One scan
 * of the relation for all the columns; a second, in file order, only when one is found.
 */
export async function refuseNumbersWithTextCells(
  connection: DuckDBConnection,
  relation: string,
  columns: string[],
  file: string,
  expectation: NumericExpectation,
): Promise<void> {
  if (!columns.length) return;
  const counts = columns
    .map((name, index) => {
      const column = sqlIdentifier(name);
      return `count(${column}) AS p${index}, count(TRY_CAST(${column} AS DOUBLE)) AS n${index},
              count(DISTINCT CASE WHEN TRY_CAST(${column} AS DOUBLE) IS NULL THEN ${column} END) AS w${index}`;
    })
    .join(', ');
  const [row] = (await connection.runAndReadAll(`SELECT ${counts} FROM ${relation}`)).getRowObjectsJS();
  for (const [index, name] of columns.entries()) {
    const present = Number(row[`p${index}`]);
    const numbers = Number(row[`n${index}`]);
    const words = Number(row[`w${index}`]);
    if (numbers === present) continue;
    if (expectation === 'mostly-numbers' && (numbers < present / 2 || words > FEW_WORDS)) continue;
    const column = sqlIdentifier(name);
    const [first] = (
      await connection.runAndReadAll(
        `SELECT r, v FROM (SELECT row_number() OVER () AS r, CAST(${column} AS VARCHAR) AS v FROM ${relation})
         WHERE v IS NOT NULL AND TRY_CAST(v AS DOUBLE) IS NULL LIMIT 1`,
      )
    ).getRowObjectsJS();
    // No number at all: the column is text or dates, not numbers with bad cells.
    const message = numbers
      ? `${JSON.stringify(first.v)} is not a number, though ${numbers} of the column's ${present} values are (${present - numbers} such cell(s)); fix the cell, or leave it empty to mark it missing`
      : `the column holds no numbers (its first value is ${JSON.stringify(first.v)}), but a numeric model input or target reads it`;
    throw new InputError(message, { file, row: Number(first.r), column: name });
  }
}
