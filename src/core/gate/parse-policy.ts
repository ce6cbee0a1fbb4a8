import type { ErrorObject } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument, type Document } from 'yaml';
import policySchema from '../../../schemas/policy.schema.json' with { type: 'json' };
import { InputError } from '../errors.js';
import { compileSchema, describeSchemaError, keyPath } from '../json-schema.js';
import { isMetricName } from '../metric-catalog.js';
import { keyLines, lineOf, pointerSegments } from './yaml-locations.js';
import {
  DEFAULT_MIN_ROWS,
  type DataRules,
  type MetricRule,
  type Policy,
  type RuleLines,
  type SliceRule,
  type Waiver,
} from './policy.js';

type RawMetricRule = Omit<MetricRule, keyof RuleLines | 'name' | 'decide_on' | 'severity'> &
  Partial<Pick<MetricRule, 'name' | 'decide_on' | 'severity'>>;
type RawSliceRule = Omit<SliceRule, keyof RuleLines | 'name' | 'decide_on' | 'severity' | 'min_rows'> &
  Partial<Pick<SliceRule, 'name' | 'decide_on' | 'severity' | 'min_rows'>>;
interface RawPolicy {
  metrics?: RawMetricRule[];
  slices?: RawSliceRule[];
  data?: Partial<Omit<DataRules, keyof RuleLines>>;
  waivers?: Omit<Waiver, 'line'>[];
}

interface Located {
  key: string;
  line: number;
  message: string;
}

/** One message per problem, with the line of the key it is about (the unknown key itself, or the parent of a missing one). */
function locateSchemaErrors(errors: ErrorObject[], document: Document, lines: LineCounter): Located[] {
  // anyOf branches report each missing alternative; say "needs min or max" once instead.
  const alternatives = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword === 'required' && error.schemaPath.includes('/anyOf/')) {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      alternatives.set(error.instancePath, [...(alternatives.get(error.instancePath) ?? []), missing]);
    }
  }
  return errors
    .filter((error) => !(error.keyword === 'required' && error.schemaPath.includes('/anyOf/')))
    .map((error) => {
      const path = pointerSegments(error.instancePath);
      if (error.keyword === 'anyOf' && alternatives.has(error.instancePath)) {
        const key = keyPath(error.instancePath) || '(root)';
        const needs = alternatives.get(error.instancePath)!.join(' or ');
        return { key, line: lineOf(document, lines, path), message: `needs ${needs}` };
      }
      const { key, message } = describeSchemaError(error);
      const extra =
        error.keyword === 'additionalProperties'
          ? String((error.params as { additionalProperty: string }).additionalProperty)
          : undefined;
      return { key, line: lineOf(document, lines, path, extra), message };
    });
}

function fail(file: string, { key, line, message }: Located, others = 0): never {
  const more = others > 0 ? ` (and ${others} more problem(s))` : '';
  throw new InputError(`${message}${more}`, { file, line, key });
}

function parseYaml(text: string, file: string): { document: Document; lines: LineCounter; value: unknown } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [error] = document.errors;
  if (error) {
    // The error's offset, counted into a line (linePos is filled only with prettyErrors).
    const line = error.pos ? lines.linePos(error.pos[0]).line : lineOf(document, lines, []);
    throw new InputError(`is not valid YAML: ${error.message.split('\n')[0]}`, { file, line });
  }
  return { document, lines, value: document.toJS({ maxAliasCount: 100 }) };
}

function locateRule(document: Document, lines: LineCounter, path: (string | number)[]): RuleLines {
  return { line: lineOf(document, lines, path), keys: keyLines(document, lines, path) };
}

function sliceRuleName(rule: RawSliceRule): string {
  return rule.name ?? `${rule.metric}@${rule.column}`;
}

/** Checks the schema cannot express: bounds in order, unique names, drops measurable, waivers pointing at a rule. */
function checkMeaning(policy: Policy): void {
  const { file } = policy;
  const rules = [
    ...policy.metrics.map((rule) => ({ rule, list: 'metrics' })),
    ...policy.slices.map((rule) => ({ rule, list: 'slices' })),
  ];
  const seen = new Set<string>();
  for (const [index, { rule, list }] of rules.entries()) {
    const at = `${list}[${list === 'metrics' ? index : index - policy.metrics.length}]`;
    if (seen.has(rule.name)) {
      throw new InputError(`another rule is already named "${rule.name}": give one of them its own name`, {
        file,
        line: rule.line,
        key: `${at}.name`,
      });
    }
    seen.add(rule.name);
    if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
      throw new InputError(`min ${rule.min} is above max ${rule.max}`, {
        file,
        line: rule.keys.min,
        key: `${at}.min`,
      });
    }
  }
  for (const [index, rule] of policy.metrics.entries()) {
    const drop =
      rule.max_drop !== undefined && rule.max_drop !== null
        ? 'max_drop'
        : rule.max_relative_drop !== undefined
          ? 'max_relative_drop'
          : undefined;
    if (drop && !isMetricName(rule.metric)) {
      throw new InputError(
        `cannot measure a drop of "${rule.metric}": it is not a known metric, so whether higher is better is unknown (use min/max)`,
        { file, line: rule.keys[drop], key: `metrics[${index}].${drop}` },
      );
    }
  }
  const targets = [...seen, ...(policy.data ? ['data'] : [])];
  for (const [index, waiver] of policy.waivers.entries()) {
    const known = targets.some(
      (name) =>
        waiver.rule === name || waiver.rule.startsWith(`${name}.`) || waiver.rule.startsWith(`${name}=`),
    );
    if (!known) {
      throw new InputError(
        `waives "${waiver.rule}", which is not a rule of this policy (rules: ${targets.join(', ')})`,
        {
          file,
          line: waiver.line,
          key: `waivers[${index}].rule`,
        },
      );
    }
  }
}

/**
 * Reads a policy file's text: YAML, validated against schemas/policy.schema.json, defaults filled in,
 * every rule carrying its line. Problems are InputErrors naming the file, the line and the key.
 */
export function parsePolicy(text: string, file: string): Policy {
  const { document, lines, value } = parseYaml(text, file);
  if (value === null || value === undefined)
    throw new InputError('is empty: write at least one rule', { file });
  const validate = compileSchema(policySchema);
  if (!validate(value)) {
    const located = locateSchemaErrors(validate.errors ?? [], document, lines);
    fail(file, located[0], located.length - 1);
  }
  const raw = value as RawPolicy;
  if (!raw.metrics?.length && !raw.slices?.length && !raw.data) {
    throw new InputError('has no rules: add metrics, slices or data rules', { file, line: 1 });
  }
  const policy: Policy = {
    file,
    metrics: (raw.metrics ?? []).map((rule, index) => ({
      ...rule,
      name: rule.name ?? rule.metric,
      decide_on: rule.decide_on ?? 'interval',
      severity: rule.severity ?? 'fail',
      ...locateRule(document, lines, ['metrics', index]),
    })),
    slices: (raw.slices ?? []).map((rule, index) => ({
      ...rule,
      name: sliceRuleName(rule),
      min_rows: rule.min_rows ?? DEFAULT_MIN_ROWS,
      decide_on: rule.decide_on ?? 'interval',
      severity: rule.severity ?? 'fail',
      ...locateRule(document, lines, ['slices', index]),
    })),
    data: raw.data && {
      validation_must_pass: raw.data.validation_must_pass ?? true,
      max_drifted_columns: raw.data.max_drifted_columns,
      severity: raw.data.severity ?? 'fail',
      ...locateRule(document, lines, ['data']),
    },
    waivers: (raw.waivers ?? []).map((waiver, index) => ({
      ...waiver,
      line: lineOf(document, lines, ['waivers', index]),
    })),
  };
  checkMeaning(policy);
  return policy;
}
