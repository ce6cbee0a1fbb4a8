import type { GateValidation } from './gate-inputs.js';
import type { GateCheck } from './gate-result.js';
import { DATA_RULE_NAMES, type DataRules } from './policy.js';

/** Data rules when the policy has no data block but validation.json was given: it must have passed. */
export const IMPLIED_DATA_RULES: DataRules = {
  validation_must_pass: true,
  severity: 'fail',
  line: 0,
  keys: {},
};

const list = (names: string[]) => (names.length ? names.join(', ') : 'none');

function mustPassCheck(rules: DataRules, validation: GateValidation | undefined): GateCheck {
  const passed = validation?.passed ?? null;
  const reason = !validation
    ? 'validation.json was not given (--validation, or the validation input)'
    : validation.passed
      ? 'data validation passed'
      : `data validation failed: ${list(validation.failedRules)}`;
  return {
    name: DATA_RULE_NAMES.validationMustPass,
    rule: 'data',
    check: 'validation_must_pass',
    observed: passed,
    threshold: null,
    baseline: null,
    interval: null,
    severity: rules.severity,
    verdict: passed ? 'pass' : validation ? rules.severity : 'fail',
    reason,
    ...(rules.line ? { line: rules.keys.validation_must_pass ?? rules.line } : {}),
  };
}

function driftCheck(
  rules: DataRules & { max_drifted_columns: number },
  validation: GateValidation | undefined,
): GateCheck {
  const drifted = validation?.driftedColumns;
  const within = drifted !== undefined && drifted.length <= rules.max_drifted_columns;
  const reason = !drifted
    ? 'validation.json was not given (--validation, or the validation input)'
    : `${drifted.length} drifted column(s) (${list(drifted)}), at most ${rules.max_drifted_columns} allowed`;
  return {
    name: DATA_RULE_NAMES.maxDriftedColumns,
    rule: 'data',
    check: 'max_drifted_columns',
    observed: drifted?.length ?? null,
    threshold: rules.max_drifted_columns,
    baseline: null,
    interval: null,
    severity: rules.severity,
    verdict: within ? 'pass' : drifted ? rules.severity : 'fail',
    reason,
    line: rules.keys.max_drifted_columns ?? rules.line,
  };
}

/** The data checks; a missing validation.json fails the rules that need it. */
export function judgeDataRules(rules: DataRules, validation: GateValidation | undefined): GateCheck[] {
  const checks: GateCheck[] = [];
  if (rules.validation_must_pass) checks.push(mustPassCheck(rules, validation));
  if (rules.max_drifted_columns !== undefined) {
    checks.push(driftCheck({ ...rules, max_drifted_columns: rules.max_drifted_columns }, validation));
  }
  return checks;
}
