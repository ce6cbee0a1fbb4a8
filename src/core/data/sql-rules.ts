import { ANNOTATIONS, allowsMissing, type Contract, type JsonSchema } from './contract.js';
import { cellContext, sqlCell, type CellContext } from './cells.js';
import type { TypedColumn } from './reader.js';
import { columnExpression } from './scan.js';
import { sqlString } from './source.js';

/**
 * A contract's per-cell rule that SQL checks: over the value counts for its failing-row count, over
 * the rows for its examples. Built from the column's name, type and kind alone (no counts needed).
 */
export interface SqlRule {
  name: string;
  column: string;
  /** The message schema: ajv validates example values against it for the exact message. */
  messageSchema: object;
  /** "This cell fails" over an expression x of the column (x = v over the value counts). */
  predicate: (x: string) => string;
  /** The same over the data view's row: marks the rows whose examples are shown. */
  rowPredicate: string;
}

/** What the contract asks of one column of the data: SQL-checked rules, and the keywords left to ajv. */
export interface ColumnRules {
  column: TypedColumn;
  context: CellContext;
  sqlRules: SqlRule[];
  ajvKeywords: Record<string, unknown>;
}

/**
 * JavaScript regular expressions that DuckDB's RE2 reads otherwise or refuses: lookarounds,
 * backreferences, and JavaScript-only escapes (\uXXXX, \u{…}, \cX). Such a pattern is checked by
 * ajv instead.
 */
const RE2_UNSAFE = /\(\?[=!]|\(\?<[=!]|\\k<|\\[1-9]|\\u|\\c/;

function sqlNumber(value: unknown): string {
  return `CAST(${sqlString(String(value))} AS DOUBLE)`;
}

/** Compiles one keyword of a property schema to a SQL predicate "this cell fails", or null to leave it to ajv. */
function compileKeyword(
  context: CellContext,
  keyword: string,
  argument: unknown,
): ((x: string) => string) | null {
  const cell = sqlCell(context);
  const nonNull = (x: string, condition: string) => `(${x} IS NOT NULL AND ${condition})`;
  if (context.column.kind === 'other') return null;
  switch (keyword) {
    case 'type': {
      const types = typeof argument === 'string' ? [argument] : (argument as string[]);
      return (x) => {
        const ok = types.map((type) => {
          if (type === 'number') return cell.isNum(x);
          if (type === 'integer') return cell.isInt(x);
          if (type === 'string') return cell.isStr(x);
          if (type === 'boolean') return cell.isBool(x);
          return 'FALSE';
        });
        return nonNull(x, `NOT (${ok.map((part) => `(${part})`).join(' OR ')})`);
      };
    }
    case 'enum':
    case 'const': {
      const options = keyword === 'const' ? [argument] : (argument as unknown[]);
      if (options.some((option) => option !== null && typeof option === 'object')) return null;
      return (x) => {
        const matches: string[] = [];
        const numbers = options.filter((option) => typeof option === 'number');
        const strings = options.filter((option) => typeof option === 'string') as string[];
        const booleans = options.filter((option) => typeof option === 'boolean');
        if (numbers.length)
          matches.push(`(${cell.isNum(x)} AND ${cell.num(x)} IN (${numbers.map(sqlNumber).join(', ')}))`);
        if (strings.length)
          matches.push(`(${cell.isStr(x)} AND ${cell.str(x)} IN (${strings.map(sqlString).join(', ')}))`);
        for (const option of booleans)
          matches.push(`(${cell.isBool(x)} AND ${cell.bool(x)} = ${option ? 'TRUE' : 'FALSE'})`);
        return nonNull(x, matches.length ? `NOT (${matches.join(' OR ')})` : 'TRUE');
      };
    }
    case 'minimum':
      return (x) => nonNull(x, `${cell.isNum(x)} AND ${cell.num(x)} < ${sqlNumber(argument)}`);
    case 'maximum':
      return (x) => nonNull(x, `${cell.isNum(x)} AND ${cell.num(x)} > ${sqlNumber(argument)}`);
    case 'exclusiveMinimum':
      return (x) => nonNull(x, `${cell.isNum(x)} AND ${cell.num(x)} <= ${sqlNumber(argument)}`);
    case 'exclusiveMaximum':
      return (x) => nonNull(x, `${cell.isNum(x)} AND ${cell.num(x)} >= ${sqlNumber(argument)}`);
    case 'minLength':
      return (x) => nonNull(x, `${cell.isStr(x)} AND length(${cell.str(x)}) < ${Number(argument)}`);
    case 'maxLength':
      return (x) => nonNull(x, `${cell.isStr(x)} AND length(${cell.str(x)}) > ${Number(argument)}`);
    case 'pattern':
      if (RE2_UNSAFE.test(String(argument))) return null;
      return (x) =>
        nonNull(x, `${cell.isStr(x)} AND NOT regexp_matches(${cell.str(x)}, ${sqlString(String(argument))})`);
    case 'format': {
      if (context.column.kind !== 'datetime') return null;
      const type = context.column.sqlType.toUpperCase();
      const valid: Record<string, boolean> = {
        date: type === 'DATE',
        'date-time': type.includes('WITH TIME ZONE'),
        'iso-date-time': type.startsWith('TIMESTAMP'),
        time: type === 'TIME WITH TIME ZONE',
        'iso-time': type.startsWith('TIME') && !type.startsWith('TIMESTAMP'),
      };
      if (!(String(argument) in valid)) return null;
      return (x) => nonNull(x, valid[String(argument)] ? 'FALSE' : 'TRUE');
    }
    default:
      return null;
  }
}

function propertyKeywords(schema: JsonSchema): [string, unknown][] {
  if (typeof schema !== 'object') return schema === false ? [['not', {}]] : [];
  return Object.entries(schema).filter(([keyword]) => !ANNOTATIONS.has(keyword) && !keyword.startsWith('x-'));
}

function sqlRule(
  column: TypedColumn,
  name: string,
  messageSchema: object,
  predicate: (x: string) => string,
): SqlRule {
  return {
    name,
    column: column.name,
    messageSchema,
    predicate,
    rowPredicate: predicate(columnExpression(column.name, column.kind)),
  };
}

/** The rules of every column the contract describes and the data has, in the contract's order. */
export function columnRules(contract: Contract, columns: TypedColumn[], textFormat: boolean): ColumnRules[] {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const described: ColumnRules[] = [];
  for (const [name, schema] of Object.entries(contract.properties)) {
    const column = byName.get(name);
    if (!column) continue;
    const context = cellContext(column, schema, textFormat);
    const sqlRules: SqlRule[] = [];
    if (!allowsMissing(contract, name))
      sqlRules.push(sqlRule(column, `${name}.required`, { required: [name] }, (x) => `(${x} IS NULL)`));
    const ajvKeywords: Record<string, unknown> = {};
    for (const [keyword, argument] of propertyKeywords(schema)) {
      const predicate = compileKeyword(context, keyword, argument);
      if (predicate)
        sqlRules.push(
          sqlRule(
            column,
            `${name}.${keyword}`,
            { properties: { [name]: { [keyword]: argument } } },
            predicate,
          ),
        );
      else ajvKeywords[keyword] = argument;
    }
    described.push({ column, context, sqlRules, ajvKeywords });
  }
  return described;
}
