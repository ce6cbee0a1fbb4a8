import { readFile } from 'node:fs/promises';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import contractSchema from '../../../schemas/contract.schema.json' with { type: 'json' };
import { InputError } from '../errors.js';
import { withoutBom } from '../io/text.js';
import { assertMatchesSchema } from '../json-schema.js';

/** The statistic that decides drift for a column; `auto` picks as Evidently does. */
export type DriftStatistic = 'auto' | 'ks' | 'chi_square' | 'psi' | 'jensen_shannon' | 'wasserstein';

export interface DriftSettings {
  statistic?: DriftStatistic;
  threshold?: number;
  pValue?: number;
  severity?: 'fail' | 'warn';
  columns?: Record<string, { statistic?: DriftStatistic; threshold?: number; skip?: boolean }>;
}

export interface DatasetRules {
  rows?: { min?: number; max?: number };
  unique?: (string | string[])[];
  maxMissingFraction?: Record<string, number>;
  drift?: DriftSettings;
  warn?: string[];
}

export type JsonSchema = boolean | ({ [keyword: string]: unknown } & { 'x-dataset'?: DatasetRules });

export interface Contract {
  file: string;
  schema: Record<string, unknown>;
  properties: Record<string, JsonSchema>;
  required: string[];
  dataset: DatasetRules;
}

/** Keywords that only annotate; they never fail a value. */
export const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$schema',
  '$id',
  '$anchor',
  '$defs',
  'contentMediaType',
  'contentEncoding',
]);

/** Top-level keywords the engine handles itself; any other top-level keyword is checked row by row by ajv. */
export const TOP_LEVEL_HANDLED = new Set([
  ...ANNOTATIONS,
  'type',
  'properties',
  'required',
  'additionalProperties',
  'x-dataset',
]);

/** An Ajv for user contracts: unknown keywords and formats are errors, formats are checked in full. */
function contractAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
  });
  (addFormats as unknown as (instance: Ajv2020) => void)(ajv);
  ajv.addKeyword({ keyword: 'x-dataset', schemaType: 'object' });
  return ajv;
}

export const CONTRACT_AJV = contractAjv();

/** Sub-schema positions of draft 2020-12, for walking a contract to name a bad key. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLES = [
  'not',
  'if',
  'then',
  'else',
  'items',
  'contains',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
];

function walkSchemas(
  schema: unknown,
  path: string,
  visit: (node: Record<string, unknown>, path: string) => void,
): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const node = schema as Record<string, unknown>;
  visit(node, path);
  const join = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of SCHEMA_MAPS) {
    const map = node[key];
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      for (const [name, child] of Object.entries(map)) walkSchemas(child, `${join(key)}.${name}`, visit);
    }
  }
  for (const key of SCHEMA_LISTS) {
    const list = node[key];
    if (Array.isArray(list))
      list.forEach((child, index) => walkSchemas(child, `${join(key)}[${index}]`, visit));
  }
  for (const key of SCHEMA_SINGLES) walkSchemas(node[key], join(key), visit);
}

/** Patterns must be ECMA-262 regular expressions (ajv compiles them with the u flag). */
function checkPatterns(schema: unknown, file: string): void {
  walkSchemas(schema, '', (node, path) => {
    if (typeof node.pattern !== 'string') return;
    try {
      new RegExp(node.pattern, 'u');
    } catch (error) {
      throw new InputError(`is not a valid regular expression: ${(error as Error).message}`, {
        file,
        key: path ? `${path}.pattern` : 'pattern',
      });
    }
  });
}

/** "… at path \"#/properties/x\"" in ajv's strict-mode messages → properties.x */
function keyFromAjvMessage(message: string): string | undefined {
  const match = /(?:at path|at) "#\/?([^"]*)"/.exec(message);
  if (!match) return undefined;
  return match[1]
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

/** Where an unknown keyword (a typo such as "minimun") sits: ajv's strict-mode message names only the word. */
function unknownKeywordKey(schema: object, message: string): string | undefined {
  const word = /unknown keyword: "([^"]+)"/.exec(message)?.[1];
  if (word === undefined) return undefined;
  let found: string | undefined;
  walkSchemas(schema, '', (node, path) => {
    if (found === undefined && Object.hasOwn(node, word)) found = path ? `${path}.${word}` : word;
  });
  return found;
}

/** Compiles a (sub)schema of a contract with the contract Ajv, naming the key on failure. */
export function compileContractSchema(schema: object, file: string): ValidateFunction {
  try {
    return CONTRACT_AJV.compile(schema);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    const key = keyFromAjvMessage(message) ?? unknownKeywordKey(schema, message);
    throw new InputError(`is not a valid JSON Schema: ${message}`, { file, ...(key ? { key } : {}) });
  }
}

/**
 * Reads and parses a contract file and checks its shape against our meta-schema (checkContractSchema
 * compiles its JSON Schema); every problem is an InputError naming the file and key.
 */
export async function loadContract(file: string): Promise<Contract> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new InputError('contract file not found or not readable', { file });
  });
  let document: unknown;
  try {
    document = JSON.parse(withoutBom(text));
  } catch (error) {
    throw new InputError(`is not valid JSON: ${(error as Error).message}`, { file });
  }
  return parseContract(document, file);
}

/**
 * Checks that a loaded contract's JSON Schema compiles (patterns, keywords, formats), naming the key on
 * failure. Kept apart from loadContract because compiling costs ~100 ms of JavaScript on a cold start:
 * validate-data runs it while DuckDB counts the data file instead of before the count starts.
 */
export function checkContractSchema(contract: Contract): void {
  checkPatterns(contract.schema, contract.file);
  compileContractSchema(contract.schema, contract.file);
}

function parseContract(document: unknown, file: string): Contract {
  assertMatchesSchema(contractSchema, document, file);
  const schema = document as Record<string, unknown>;
  const properties = schema.properties as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const dataset = (schema['x-dataset'] ?? {}) as DatasetRules;
  for (const name of required) {
    if (!(name in properties)) {
      throw new InputError(`names "${name}", which is not in properties`, { file, key: 'required' });
    }
  }
  if (
    dataset.rows?.min !== undefined &&
    dataset.rows.max !== undefined &&
    dataset.rows.min > dataset.rows.max
  ) {
    throw new InputError('min is larger than max', { file, key: 'x-dataset.rows' });
  }
  return { file, schema, properties, required, dataset };
}

/** The JSON types a property schema declares (empty: any). */
export function declaredTypes(schema: JsonSchema): Set<string> {
  if (typeof schema !== 'object') return new Set();
  const type = schema.type;
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type as string[]);
  return new Set();
}

/** A column may be missing when the contract does not require it, or its schema admits null. */
export function allowsMissing(contract: Contract, column: string): boolean {
  const schema = contract.properties[column];
  if (!contract.required.includes(column)) return true;
  if (declaredTypes(schema).has('null')) return true;
  if (typeof schema === 'object' && Array.isArray(schema.enum) && schema.enum.includes(null)) return true;
  return false;
}

/** Names a failed ajv error after the column and keyword: "humidity.maximum", or "row.dependentRequired". */
export function ruleNameOf(error: ErrorObject, column?: string): string {
  const parts = error.schemaPath.replace(/^#\//, '').split('/');
  if (column !== undefined) {
    // #/properties/<column>/<keyword>/...
    const keyword = parts[0] === 'properties' ? parts[2] : parts[0];
    return `${column}.${keyword ?? error.keyword}`;
  }
  return `row.${parts[0] || error.keyword}`;
}
