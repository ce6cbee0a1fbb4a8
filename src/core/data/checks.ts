import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { InputError } from '../errors.js';
import {
  ANNOTATIONS,
  TOP_LEVEL_HANDLED,
  allowsMissing,
  compileContractSchema,
  declaredTypes,
  ruleNameOf,
  type Contract,
  type JsonSchema,
} from './contract.js';
import { sqlString } from './source.js';
import {
  columnExpression,
  countsOf,
  q,
  queryObjects,
  streamRows,
  type CountedColumn,
  type Scan,
} from './scan.js';
import type { Engine } from './reader.js';

export const MAX_SAMPLES = 20;
/** Distinct failing values remembered per ajv-checked rule, to find their rows again. */
const MAX_FAILING_VALUES = 100_000;

export type Verdict = 'pass' | 'warn' | 'fail';

export interface Sample {
  row: number;
  column: string;
  value: unknown;
  message?: string;
}

/** One rule's outcome; every check in validation.json has this shape. */
export interface Check {
  name: string;
  kind: 'row' | 'rows' | 'unique' | 'missing' | 'columns' | 'drift';
  column?: string;
  observed: unknown;
  limit: unknown;
  verdict: Verdict;
  detail: string;
  failingRows?: number;
  samples?: Sample[];
}

/** How a column's cells read as JSON values for the contract (CSV cells are text; numbers count as numbers where the contract wants numbers). */
export interface CellContext {
  column: CountedColumn;
  coerceNumber: boolean;
  coerceBoolean: boolean;
}

export function cellContext(column: CountedColumn, schema: JsonSchema, textFormat: boolean): CellContext {
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
function sqlCell(context: CellContext) {
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
function cellSelect(context: CellContext, x: string, alias: string): string {
  const parts = [`${x} AS ${q(alias)}`];
  if (context.coerceNumber) parts.push(`TRY_CAST(${x} AS DOUBLE) AS ${q(`${alias}#num`)}`);
  if (context.coerceBoolean)
    parts.push(
      `CASE lower(CAST(${x} AS VARCHAR)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END AS ${q(`${alias}#bool`)}`,
    );
  return parts.join(', ');
}

function cellFrom(context: CellContext, row: Record<string, unknown>, alias: string): unknown {
  return jsonCell(context, row[alias], row[`${alias}#num`], row[`${alias}#bool`]);
}

const RE2_UNSAFE = /\(\?[=!]|\(\?<[=!]|\\k<|\\[1-9]/;

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

interface Rule {
  name: string;
  kind: Check['kind'];
  column?: string;
  /** The message schema: ajv validates sample values against it for the exact message. */
  messageSchema?: object;
  failingRows: number;
  /** Predicate over the data view's row (columns by name) that marks a failing row, for examples. */
  rowPredicate?: string;
  sampleColumns?: string[];
  samples: Sample[];
  /** For rules ajv checked over distinct values: the schema to re-validate examples with, for their message. */
  valueSchema?: object;
  observed?: unknown;
  limit?: unknown;
  detail?: string;
  severity?: Verdict;
}

function propertyKeywords(schema: JsonSchema): [string, unknown][] {
  if (typeof schema !== 'object') return schema === false ? [['not', {}]] : [];
  return Object.entries(schema).filter(([keyword]) => !ANNOTATIONS.has(keyword) && !keyword.startsWith('x-'));
}

let tableCounter = 0;

/**
 * Evaluates a contract against a scanned data set: per-value rules from the value counts (SQL for
 * the simple keywords, ajv over the distinct values for the rest), row-level keywords by ajv over the
 * rows, dataset rules from the counts; then one early-stopping scan finds example rows.
 */
export async function evaluateContract(engine: Engine, scan: Scan, contract: Contract): Promise<Check[]> {
  const { dataset } = scan;
  const textFormat = dataset.format === 'csv' || dataset.format === 'tsv';
  const byName = new Map(scan.columns.map((column) => [column.name, column]));
  const rules: Rule[] = [];
  const checks: Check[] = [];

  // Columns the contract names that the data lacks (required ones were refused before the scan).
  for (const name of Object.keys(contract.properties)) {
    if (byName.has(name)) continue;
    checks.push({
      name: `${name}.present`,
      kind: 'columns',
      column: name,
      observed: 'absent',
      limit: 'present',
      verdict: 'warn',
      detail: `the contract describes column "${name}", which the data lacks (it is not required)`,
    });
  }
  if (contract.schema.additionalProperties === false) {
    const extra = scan.columns.map((column) => column.name).filter((name) => !(name in contract.properties));
    checks.push({
      name: 'columns.additional',
      kind: 'columns',
      observed: extra,
      limit: [],
      verdict: extra.length ? 'fail' : 'pass',
      detail: extra.length
        ? `the data has column(s) the contract does not describe: ${extra.join(', ')}`
        : 'no columns beyond the contract',
    });
  }

  const contexts = new Map<string, CellContext>();
  const defs = contract.schema.$defs ? { $defs: contract.schema.$defs } : {};
  for (const [name, schema] of Object.entries(contract.properties)) {
    const column = byName.get(name);
    if (!column) continue;
    const context = cellContext(column, schema, textFormat);
    contexts.set(name, context);
    const sqlRules: { rule: Rule; predicate: (x: string) => string }[] = [];
    if (!allowsMissing(contract, name)) {
      sqlRules.push({
        rule: newRule(`${name}.required`, name, { required: [name] }),
        predicate: (expression) => `(${expression} IS NULL)`,
      });
    }
    const ajvKeywords: Record<string, unknown> = {};
    for (const [keyword, argument] of propertyKeywords(schema)) {
      const predicate = compileKeyword(context, keyword, argument);
      if (predicate) {
        sqlRules.push({
          rule: newRule(`${name}.${keyword}`, name, { properties: { [name]: { [keyword]: argument } } }),
          predicate,
        });
      } else {
        ajvKeywords[keyword] = argument;
      }
    }
    if (sqlRules.length) {
      const counts = await queryObjects(
        engine,
        `SELECT ${sqlRules.map(({ predicate }, index) => `coalesce(sum(n) FILTER (WHERE ${predicate('v')}), 0) AS r${index}`).join(', ')}
         FROM ${countsOf(column)}`,
      );
      sqlRules.forEach(({ rule, predicate }, index) => {
        rule.failingRows = Number(counts[0][`r${index}`]);
        rule.rowPredicate = predicate(columnExpression(name, column.kind));
        rules.push(rule);
      });
    }
    if (Object.keys(ajvKeywords).length) {
      rules.push(
        ...(await ajvOverValues(engine, contract, context, { ...defs, properties: { [name]: ajvKeywords } })),
      );
    }
  }

  // Row-level keywords (dependentRequired, if/then, allOf, ...): ajv over every row.
  const topLevel = Object.fromEntries(
    Object.entries(contract.schema).filter(([keyword]) => !TOP_LEVEL_HANDLED.has(keyword)),
  );
  const additional = contract.schema.additionalProperties;
  if (additional !== undefined && typeof additional === 'object') topLevel.additionalProperties = additional;
  if (Object.keys(topLevel).length) {
    rules.push(...(await ajvOverRows(engine, scan, contract, { ...defs, ...topLevel }, textFormat)));
  }

  rules.push(...(await datasetRules(engine, scan, contract)));
  await findExamples(engine, scan, rules, contexts);

  const warn = new Set(contract.dataset.warn ?? []);
  for (const rule of rules) {
    const failed = rule.severity ? rule.severity !== 'pass' : rule.failingRows > 0;
    const demoted = warn.has(rule.name) || (rule.column !== undefined && warn.has(rule.column));
    const verdict: Verdict = !failed ? 'pass' : rule.severity === 'warn' || demoted ? 'warn' : 'fail';
    const first = rule.samples[0];
    checks.push({
      name: rule.name,
      kind: rule.kind,
      ...(rule.column !== undefined ? { column: rule.column } : {}),
      observed: rule.observed ?? rule.failingRows,
      limit: rule.limit ?? 0,
      verdict,
      detail:
        rule.detail ??
        (rule.failingRows
          ? `${rule.failingRows} row(s) fail: ${first?.message ?? 'see samples'}${first ? ` (first at row ${first.row})` : ''}`
          : 'every row passes'),
      ...(rule.kind === 'row' || rule.kind === 'unique' ? { failingRows: rule.failingRows } : {}),
      ...(rule.samples.length ? { samples: rule.samples } : {}),
    });
  }
  return checks;
}

function newRule(
  name: string,
  column: string | undefined,
  messageSchema?: object,
  kind: Check['kind'] = 'row',
): Rule {
  return {
    name,
    kind,
    ...(column !== undefined ? { column } : {}),
    messageSchema,
    failingRows: 0,
    samples: [],
  };
}

/** ajv over the distinct values of one column: failing values are counted by their row counts and remembered in a temp table. */
async function ajvOverValues(
  engine: Engine,
  contract: Contract,
  context: CellContext,
  schema: object,
): Promise<Rule[]> {
  const { column } = context;
  const validate = compileContractSchema(schema, contract.file);
  const distinct = `mlops_distinct_${++tableCounter}`;
  await engine.connection.run(
    `CREATE TABLE ${distinct} AS SELECT row_number() OVER () AS id, v, n FROM ${countsOf(column)} WHERE v IS NOT NULL`,
  );
  const byRule = new Map<string, { rule: Rule; ids: number[] }>();
  const result = await engine.connection.stream(
    `SELECT id, n, ${cellSelect(context, 'v', 'v')} FROM ${distinct}`,
  );
  for await (const chunk of result.yieldRowObjects()) {
    for (const raw of chunk) {
      const row = Object.fromEntries(
        Object.entries(raw).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value]),
      );
      const value = cellFrom(context, plainRow(row), 'v');
      if (validate({ [column.name]: value })) continue;
      const seen = new Set<string>();
      for (const error of validate.errors ?? []) {
        const name = ruleNameOf(error, column.name);
        if (seen.has(name)) continue;
        seen.add(name);
        let entry = byRule.get(name);
        if (!entry) {
          entry = { rule: { ...newRule(name, column.name), valueSchema: schema }, ids: [] };
          byRule.set(name, entry);
        }
        entry.rule.failingRows += Number(row.n);
        if (entry.ids.length < MAX_FAILING_VALUES) entry.ids.push(Number(row.id));
      }
    }
  }
  const rules: Rule[] = [];
  for (const { rule, ids } of byRule.values()) {
    const failing = `mlops_failing_${++tableCounter}`;
    await engine.connection.run(
      `CREATE TABLE ${failing} AS SELECT id, v FROM ${distinct} WHERE id IN (SELECT unnest([${ids.join(',')}]::BIGINT[]))`,
    );
    const x = columnExpression(column.name, column.kind);
    rule.rowPredicate = `${x} IN (SELECT v FROM ${failing})`;
    rules.push(rule);
  }
  return rules;
}

function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      value === null || typeof value !== 'object' ? value : Array.isArray(value) ? value : String(value),
    ]),
  );
}

/** ajv over every row for the row-level keywords; rows stream in chunks, examples are kept as they pass. */
async function ajvOverRows(
  engine: Engine,
  scan: Scan,
  contract: Contract,
  schema: object,
  textFormat: boolean,
): Promise<Rule[]> {
  const validate: ValidateFunction = compileContractSchema(schema, contract.file);
  const contexts = scan.columns.map((column) =>
    cellContext(column, contract.properties[column.name] ?? {}, textFormat),
  );
  const selectList = contexts
    .map((context, index) =>
      cellSelect(context, columnExpression(context.column.name, context.column.kind), `c${index}`),
    )
    .join(', ');
  const byRule = new Map<string, Rule>();
  await streamRows(engine, scan.dataset, selectList, undefined, (rows) => {
    for (const row of rows) {
      const instance: Record<string, unknown> = {};
      contexts.forEach((context, index) => {
        const value = cellFrom(context, row, `c${index}`);
        // A missing cell is an absent key (so required/dependentRequired see it as missing).
        if (value !== undefined) instance[context.column.name] = value;
      });
      if (validate(instance)) continue;
      const seen = new Set<string>();
      for (const error of validate.errors ?? []) {
        const name = ruleNameOf(error);
        if (seen.has(name)) continue;
        seen.add(name);
        let rule = byRule.get(name);
        if (!rule) {
          rule = newRule(name, undefined);
          byRule.set(name, rule);
        }
        rule.failingRows++;
        if (rule.samples.length < MAX_SAMPLES) {
          const column = errorColumn(error);
          rule.samples.push({
            row: Number(row.__row),
            column: column ?? '',
            value: column !== undefined ? (instance[column] ?? null) : null,
            message: `${column && !error.instancePath ? `${column}: ` : ''}${error.message ?? 'is invalid'}`,
          });
        }
      }
    }
  });
  return [...byRule.values()];
}

function errorColumn(error: ErrorObject): string | undefined {
  const fromPath = error.instancePath.split('/')[1];
  if (fromPath) return fromPath.replaceAll('~1', '/').replaceAll('~0', '~');
  const params = error.params as Record<string, unknown>;
  const missing = params.missingProperty ?? params.additionalProperty ?? params.property;
  return typeof missing === 'string' ? missing : undefined;
}

async function datasetRules(engine: Engine, scan: Scan, contract: Contract): Promise<Rule[]> {
  const rules: Rule[] = [];
  const { dataset: rulesOf } = contract;
  if (rulesOf.rows) {
    const { min, max } = rulesOf.rows;
    const ok = (min === undefined || scan.rows >= min) && (max === undefined || scan.rows <= max);
    rules.push({
      ...newRule('rows', undefined, undefined, 'rows'),
      observed: scan.rows,
      limit: rulesOf.rows,
      severity: ok ? 'pass' : 'fail',
      detail: ok
        ? `${scan.rows} rows, within the bounds`
        : `${scan.rows} rows, outside ${min ?? 0} … ${max ?? '∞'}`,
    });
  }
  for (const entry of rulesOf.unique ?? []) {
    const key = typeof entry === 'string' ? [entry] : entry;
    const name = `unique:${key.join('+')}`;
    const rule = newRule(name, key.length === 1 ? key[0] : undefined, undefined, 'unique');
    rule.sampleColumns = key;
    if (key.length === 1) {
      const column = scan.columns.find((candidate) => candidate.name === key[0]);
      if (!column)
        throw new InputError('the contract names a unique column the data lacks', {
          file: scan.dataset.file,
          column: key[0],
        });
      const duplicates = `(SELECT v FROM ${countsOf(column)} WHERE v IS NOT NULL AND n > 1)`;
      const [row] = await queryObjects(
        engine,
        `SELECT coalesce(sum(n), 0) AS rows, count(*) AS dup_values FROM ${countsOf(column)} WHERE v IS NOT NULL AND n > 1`,
      );
      rule.failingRows = Number(row.rows);
      rule.rowPredicate = `${columnExpression(column.name, column.kind)} IN ${duplicates}`;
      rule.detail = rule.failingRows
        ? `${rule.failingRows} rows share ${row.dup_values} duplicated value(s) of ${key[0]}`
        : `every value of ${key[0]} appears once`;
    } else {
      const counted = scan.keys.find((candidate) => candidate.columns.join('\u0000') === key.join('\u0000'))!;
      const notNull = counted.fields.map((field) => `${field} IS NOT NULL`).join(' AND ');
      const keyList = (expressions: string[]) =>
        `[${expressions.map((expression) => `CAST(${expression} AS VARCHAR)`).join(', ')}]`;
      const [row] = await queryObjects(
        engine,
        `SELECT coalesce(sum(n), 0) AS rows, count(*) AS dup_values FROM ${counted.table} WHERE g = ${counted.gid} AND ${notNull} AND n > 1`,
      );
      rule.failingRows = Number(row.rows);
      const kinds = new Map(scan.columns.map((column) => [column.name, column.kind]));
      rule.rowPredicate = `${keyList(key.map((name) => columnExpression(name, kinds.get(name)!)))} IN (SELECT ${keyList(counted.fields)} FROM ${counted.table} WHERE g = ${counted.gid} AND ${notNull} AND n > 1)`;
      rule.detail = rule.failingRows
        ? `${rule.failingRows} rows share ${row.dup_values} duplicated key(s) (${key.join(', ')})`
        : `every key (${key.join(', ')}) appears once`;
    }
    rule.observed = rule.failingRows;
    rules.push(rule);
  }
  const missingLimits = rulesOf.maxMissingFraction ?? {};
  if (Object.keys(missingLimits).length) {
    const named = Object.keys(missingLimits).filter((name) => name !== '*');
    for (const name of named) {
      if (!scan.columns.some((column) => column.name === name)) {
        throw new InputError('maxMissingFraction names a column the data lacks', {
          file: contract.file,
          key: `x-dataset.maxMissingFraction.${name}`,
        });
      }
    }
    for (const column of scan.columns) {
      const limit = missingLimits[column.name] ?? missingLimits['*'];
      if (limit === undefined) continue;
      const [row] = await queryObjects(
        engine,
        `SELECT coalesce(sum(n) FILTER (WHERE v IS NULL), 0) AS missing FROM ${countsOf(column)}`,
      );
      const missing = Number(row.missing);
      const fraction = scan.rows ? missing / scan.rows : 0;
      const ok = fraction <= limit;
      rules.push({
        ...newRule(`missing:${column.name}`, column.name, undefined, 'missing'),
        observed: fraction,
        limit,
        severity: ok ? 'pass' : 'fail',
        detail: `${missing} of ${scan.rows} cells missing (${(fraction * 100).toFixed(2)}%, limit ${(limit * 100).toFixed(2)}%)`,
      });
    }
  }
  return rules;
}

/** One scan in file order, stopping as soon as every failing rule has its examples. */
async function findExamples(
  engine: Engine,
  scan: Scan,
  rules: Rule[],
  contexts: Map<string, CellContext>,
): Promise<void> {
  const wanted = rules.filter((rule) => rule.rowPredicate && rule.failingRows > 0);
  if (!wanted.length) return;
  const kinds = new Map(scan.columns.map((column) => [column.name, column.kind]));
  const shown = [
    ...new Set(wanted.flatMap((rule) => rule.sampleColumns ?? (rule.column ? [rule.column] : []))),
  ];
  const selectList = [
    ...wanted.map((rule, index) => `(${rule.rowPredicate}) AS ${q(`r${index}`)}`),
    ...shown.map((name, index) => {
      const context = contexts.get(name);
      const expression = columnExpression(name, kinds.get(name)!);
      return context ? cellSelect(context, expression, `s${index}`) : `${expression} AS ${q(`s${index}`)}`;
    }),
  ].join(', ');
  const where = wanted.map((rule, index) => q(`r${index}`)).join(' OR ');
  const targets = wanted.map((rule) => Math.min(MAX_SAMPLES, rule.failingRows));
  const valueOf = (row: Record<string, unknown>, name: string) => {
    const index = shown.indexOf(name);
    const context = contexts.get(name);
    const value = context ? cellFrom(context, row, `s${index}`) : row[`s${index}`];
    return value === undefined ? null : value;
  };
  await streamRows(engine, scan.dataset, selectList, where, (rows) => {
    for (const row of rows) {
      wanted.forEach((rule, index) => {
        if (row[`r${index}`] !== true || rule.samples.length >= targets[index]) return;
        const columns = rule.sampleColumns ?? (rule.column ? [rule.column] : []);
        const value =
          columns.length === 1
            ? valueOf(row, columns[0])
            : Object.fromEntries(columns.map((name) => [name, valueOf(row, name)]));
        rule.samples.push({ row: Number(row.__row), column: columns.join('+'), value });
      });
    }
    return wanted.some((rule, index) => rule.samples.length < targets[index]);
  });
  for (const rule of wanted) attachMessages(rule);
}

/** The exact ajv message for each example: validate the example's value against the rule's keyword alone. */
function attachMessages(rule: Rule): void {
  if (rule.kind === 'unique') {
    for (const sample of rule.samples)
      sample.message = `duplicated ${rule.sampleColumns!.length > 1 ? 'key' : 'value'}`;
    return;
  }
  const schema = rule.messageSchema ?? rule.valueSchema;
  if (!schema || rule.column === undefined) return;
  const validate = compileContractSchema(schema, 'contract');
  for (const sample of rule.samples) {
    const instance = sample.value === null ? {} : { [rule.column]: sample.value };
    validate(instance);
    const errors = validate.errors ?? [];
    const own = rule.valueSchema
      ? errors.find((error) => ruleNameOf(error, rule.column) === rule.name)
      : errors[0];
    sample.message = own?.message ?? 'is invalid';
  }
}
