/** The gate policy as the gate uses it: the YAML's own key names, defaults filled in, and where each rule sits. */

export type Severity = 'fail' | 'warn';
export type DecideOn = 'interval' | 'point';
export type Verdict = 'pass' | 'warn' | 'fail';

/** Lines (1-based) of a rule in the policy file: the rule itself and each of its keys. */
export interface RuleLines {
  line: number;
  keys: Record<string, number>;
}

export interface MetricRule extends RuleLines {
  name: string;
  metric: string;
  min?: number;
  max?: number;
  /** undefined: not written (the default applies); null: no comparison with the baseline. */
  max_drop?: number | null;
  max_relative_drop?: number;
  decide_on: DecideOn;
  severity: Severity;
}

export interface SliceRule extends RuleLines {
  name: string;
  column: string;
  metric: string;
  min?: number;
  max?: number;
  min_rows: number;
  decide_on: DecideOn;
  severity: Severity;
}

export interface DataRules extends RuleLines {
  validation_must_pass: boolean;
  max_drifted_columns?: number;
  severity: Severity;
}

export interface Waiver {
  rule: string;
  /** ISO date (YYYY-MM-DD); the waiver holds through that whole day, UTC. */
  until: string;
  reason: string;
  line: number;
}

export interface Policy {
  file: string;
  metrics: MetricRule[];
  slices: SliceRule[];
  /** Absent when the policy has no `data:` block. */
  data?: DataRules;
  waivers: Waiver[];
}

/** Slices smaller than this are not judged unless the rule sets its own min_rows. */
export const DEFAULT_MIN_ROWS = 100;

/**
 * The allowed drop when a metric rule does not write max_drop and the baseline delta has an interval:
 * "not significantly worse than the baseline". bench/gate measures what this default buys (docs/gate.md).
 */
export const DEFAULT_MAX_DROP = 0;

export const DATA_RULE_NAMES = {
  validationMustPass: 'data.validation_must_pass',
  maxDriftedColumns: 'data.max_drifted_columns',
} as const;
