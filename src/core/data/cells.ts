import { declaredTypes, type JsonSchema } from './contract.js';
import type { TypedColumn } from './reader.js';
import { q } from './scan.js';

/** How a column's cells read as JSON values for the contract (CSV cells are text; numbers count as numbers where the contract wants numbers). */
export interface CellContext {
  column: TypedColumn;
  coerceNumber: boolean;
  coerceBoolean: boolean;
}

export function cellContext(column: TypedColumn, schema: JsonSchema, textFormat: boolean): CellContext {
  const types = declaredTypes(schema);
  const wantsNumber = types.has('number') || types.has('integer');
  const coercible = textFormat && column.kind === 'string' && !types.has('string');
  return {
    column,
    coerceNumber: coercible && wantsNumber,
    coerceBoolean: coercible && types.has('boolean'),
  };
}

/** SQL fragments over an expression x of the column, mirroring how `jsonCell` reads values. */
export function sqlCell(context: CellContext) {
  const { column, coerceNumber, coerceBoolean } = context;
  const numeric = column.kind === 'numeric';
  const isNum = (x: string) =>
    numeric ? 'TRUE' : coerceNumber ? `TRY_CAST(${x} AS DOUBLE) IS NOT NULL` : 'FALSE';
  const num = (x: string) => (numeric ? `CAST(${x} AS DOUBLE)` : `TRY_CAST(${x} AS DOUBLE)`);
  const isBool = (x: string) =>
    column.kind === 'boolean'
      ? 'TRUE'
      : coerceBoolean
        ? `lower(CAST(${x} AS VARCHAR)) IN ('true', 'false')`
        : 'FALSE';
  const isStr = (x: string) => {
    if (column.kind === 'datetime') return 'TRUE';
    if (column.kind !== 'string') return 'FALSE';
    const parts = ['TRUE'];
    if (coerceNumber) parts.push(`TRY_CAST(${x} AS DOUBLE) IS NULL`);
    if (coerceBoolean) parts.push(`lower(${x}) NOT IN ('true', 'false')`);
    return parts.join(' AND ');
  };
  const isInt = (x: string) => `(${isNum(x)} AND ${num(x)} = floor(${num(x)}))`;
  const str = (x: string) => `CAST(${x} AS VARCHAR)`;
  const bool = (x: string) => (column.kind === 'boolean' ? x : `(lower(CAST(${x} AS VARCHAR)) = 'true')`);
  return { isNum, num, isBool, isStr, isInt, str, bool };
}

/** Turns a counted value (with its SQL-side numeric/boolean readings) into the JSON value the contract sees. */
export function jsonCell(
  context: CellContext,
  value: unknown,
  asNumber: unknown,
  asBoolean: unknown,
): unknown {
  if (value === null || value === undefined) return undefined;
  switch (context.column.kind) {
    case 'numeric':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return value;
    case 'other':
      return JSON.parse(String(value));
    case 'string':
      if (context.coerceNumber && asNumber !== null && asNumber !== undefined) return asNumber;
      if (context.coerceBoolean && asBoolean !== null && asBoolean !== undefined) return asBoolean;
      return String(value);
    default:
      return String(value);
  }
}

/** Select-list items that give jsonCell what it needs for a column read through expression x. */
export function cellSelect(context: CellContext, x: string, alias: string): string {
  const parts = [`${x} AS ${q(alias)}`];
  if (context.coerceNumber) parts.push(`TRY_CAST(${x} AS DOUBLE) AS ${q(`${alias}#num`)}`);
  if (context.coerceBoolean)
    parts.push(
      `CASE lower(CAST(${x} AS VARCHAR)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END AS ${q(`${alias}#bool`)}`,
    );
  return parts.join(', ');
}

export function cellFrom(context: CellContext, row: Record<string, unknown>, alias: string): unknown {
  return jsonCell(context, row[alias], row[`${alias}#num`], row[`${alias}#bool`]);
}
