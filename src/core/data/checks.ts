import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { mapOnConnections } from './concurrent.js';
import { cellContext, cellFrom, cellSelect, type CellContext } from './cells.js';
import { InputError } from '../errors.js';
import { TOP_LEVEL_HANDLED, compileContractSchema, ruleNameOf, type Contract } from './contract.js';
import { MAX_SAMPLES, scanExamples, type Sample } from './examples.js';
import type { Engine } from './reader.js';
import {
  columnExpression,
  countsOf,
  queryObjects,
  streamRows,
  type CountedColumn,
  type Scan,
} from './scan.js';
import { columnRules } from './sql-rules.js';

/** Distinct failing values remembered per ajv-checked rule, to find their rows again. */
const MAX_FAILING_VALUES = 100_000;

export type Verdict = 'pass' | 'warn' | 'fail';

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

let tableCounter = 0;

/** Connections the columns' rules are counted on side by side. */
const RULE_LANES = 4;

/**
 * Evaluates a contract against a scanned data set: per-value rules from the value counts (SQL for
 * the simple keywords, ajv over the distinct values for the rest), row-level keywords by ajv over the
 * rows, dataset rules from the counts; then one early-stopping scan finds example rows.
 */
export async function evaluateContract(engine: Engine, scan: Scan, contract: Contract): Promise<Check[]> {
  refuseUnknownWarnings(contract, scan);
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

  const defs = contract.schema.$defs ? { $defs: contract.schema.$defs } : {};
  const described = columnRules(contract, scan.columns, textFormat);
  const contexts = new Map(described.map(({ column, context }) => [column.name, context]));
  const perColumn = await mapOnConnections(
    engine,
    described,
    RULE_LANES,
    async (own, { column, context, sqlRules, ajvKeywords }) => {
      const counted = byName.get(column.name)!;
      const found: Rule[] = [];
      if (sqlRules.length) {
        const [counts] = await queryObjects(
          own,
          `SELECT ${sqlRules.map(({ predicate }, index) => `coalesce(sum(n) FILTER (WHERE ${predicate('v')}), 0) AS r${index}`).join(', ')}
           FROM ${countsOf(counted)}`,
        );
        found.push(
          ...sqlRules.map(({ name, messageSchema, rowPredicate }, index) => ({
            ...newRule(name, column.name, messageSchema),
            failingRows: Number(counts[`r${index}`]),
            rowPredicate,
          })),
        );
      }
      if (Object.keys(ajvKeywords).length) {
        const schema = { ...defs, properties: { [column.name]: ajvKeywords } };
        found.push(...(await ajvOverValues(own, contract, context, counted, schema)));
      }
      return found;
    },
  );
  rules.push(...perColumn.flat());

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
  column: CountedColumn,
  schema: object,
): Promise<Rule[]> {
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
        // ajv adds an `if` error beside every failed `then`/`else`: one violation, one rule.
        if (error.keyword === 'if') continue;
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

/**
 * Every rule name a contract can produce on this data, failing or not: `<column>.<keyword>` for the
 * keywords its properties name, `row.<keyword>`, the dataset rules, and column names (all of a
 * column's rules). Built from the contract, not from this run's outcome: a rule checked by ajv
 * exists in a run only when it fails.
 */
function ruleNamesOf(contract: Contract, scan: Scan): Set<string> {
  const columns = [
    ...new Set([...Object.keys(contract.properties), ...scan.columns.map((column) => column.name)]),
  ];
  const names = new Set<string>([...columns, 'rows', 'columns.additional']);
  for (const column of columns) {
    const schema = contract.properties[column];
    const keywords = typeof schema === 'object' ? Object.keys(schema) : [];
    for (const keyword of [...keywords, 'present', 'required', 'type']) names.add(`${column}.${keyword}`);
    names.add(`missing:${column}`).add(`drift:${column}`);
  }
  for (const keyword of Object.keys(contract.schema)) names.add(`row.${keyword}`);
  for (const name of Object.keys(contract.dataset.maxMissingFraction ?? {})) names.add(`missing:${name}`);
  for (const entry of contract.dataset.unique ?? [])
    names.add(`unique:${(typeof entry === 'string' ? [entry] : entry).join('+')}`);
  return names;
}

/** A `warn` entry that names no rule and no column is a typo (say "temp.minimun"), which would otherwise go unnoticed. */
function refuseUnknownWarnings(contract: Contract, scan: Scan): void {
  const known = ruleNamesOf(contract, scan);
  (contract.dataset.warn ?? []).forEach((entry, index) => {
    if (known.has(entry)) return;
    throw new InputError(
      `names no rule and no column of this contract and data: "${entry}" (rules are named <column>.<keyword>, as in validation.json)`,
      { file: contract.file, key: `x-dataset.warn[${index}]` },
    );
  });
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
    const absent = key.filter((name) => !scan.columns.some((column) => column.name === name));
    if (absent.length) {
      // A key the data cannot show is a failed rule of the data, not a broken contract.
      rules.push({
        ...rule,
        observed: 'absent',
        severity: 'fail',
        detail: `the data lacks key column(s) ${absent.map((name) => `"${name}"`).join(', ')}`,
      });
      continue;
    }
    if (key.length === 1) {
      const column = scan.columns.find((candidate) => candidate.name === key[0])!;
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
    // A column the data lacks has every cell missing.
    for (const name of Object.keys(missingLimits)) {
      if (name === '*' || scan.columns.some((column) => column.name === name)) continue;
      rules.push({
        ...newRule(`missing:${name}`, name, undefined, 'missing'),
        observed: 1,
        limit: missingLimits[name],
        severity: missingLimits[name] >= 1 ? 'pass' : 'fail',
        detail: `the data lacks column "${name}": every cell missing`,
      });
    }
    const limitOf = (column: CountedColumn) => missingLimits[column.name] ?? missingLimits['*'];
    const limited = scan.columns.filter((column) => limitOf(column) !== undefined);
    const missingCells = await mapOnConnections(engine, limited, RULE_LANES, async (own, column) => {
      const [row] = await queryObjects(
        own,
        `SELECT coalesce(sum(n) FILTER (WHERE v IS NULL), 0) AS missing FROM ${countsOf(column)}`,
      );
      return Number(row.missing);
    });
    for (const [index, column] of limited.entries()) {
      const limit = limitOf(column)!;
      const missing = missingCells[index];
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

/** The first example rows of every failing rule, in file order (see scanExamples). */
async function findExamples(
  engine: Engine,
  scan: Scan,
  rules: Rule[],
  contexts: Map<string, CellContext>,
): Promise<void> {
  const wanted = rules.filter((rule) => rule.rowPredicate && rule.failingRows > 0);
  if (!wanted.length) return;
  const found = await scanExamples(
    engine,
    scan.dataset,
    wanted.map((rule) => ({
      rowPredicate: rule.rowPredicate!,
      columns: rule.sampleColumns ?? (rule.column ? [rule.column] : []),
      failingRows: rule.failingRows,
    })),
    contexts,
    wanted.map((rule) => Math.min(MAX_SAMPLES, rule.failingRows)),
    scan.rows,
  );
  wanted.forEach((rule, index) => {
    rule.samples = found[index];
    attachMessages(rule);
  });
}

/** ajv's message, with the allowed values when an enum failed (ajv's own says only "one of the allowed values"). */
function messageOf(error: ErrorObject): string {
  const message = error.message ?? 'is invalid';
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  if (error.keyword !== 'enum' || !Array.isArray(allowed)) return message;
  const shown = allowed.slice(0, 10).map((value) => JSON.stringify(value));
  return `${message}: ${shown.join(', ')}${allowed.length > 10 ? `, … (${allowed.length} in all)` : ''}`;
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
    sample.message = own ? messageOf(own) : 'is invalid';
  }
}
