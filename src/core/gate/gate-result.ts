import type { Interval } from './gate-inputs.js';
import type { DecideOn, Severity, Verdict } from './policy.js';

/** The kinds of check one policy rule expands into. */
export type CheckKind =
  | 'present'
  | 'min'
  | 'max'
  | 'max_drop'
  | 'max_relative_drop'
  | 'min_rows'
  | 'validation_must_pass'
  | 'max_drifted_columns';

/** One judged check: an entry of gate.json's `rules`. */
export interface GateCheck {
  /** Unique and stable: `<rule>.<check>` (`roc_auc.max_drop`, `f1@station=naantali.min`). */
  name: string;
  /** The policy rule it comes from (what waivers and annotations refer to). */
  rule: string;
  check: CheckKind;
  metric?: string;
  slice?: { column: string; label: string; n: number };
  observed: number | boolean | string | null;
  threshold: number | string | null;
  baseline: number | null;
  interval: Interval;
  decidedOn?: DecideOn;
  severity: Severity;
  verdict: Verdict;
  reason: string;
  /** The point estimate is past the limit but the interval reaches it, so the check passed (decide_on: interval). */
  inconclusive?: true;
  waived?: boolean;
  waiver?: { until: string; reason: string };
  /** Line of the policy file the check comes from, when it comes from a written rule. */
  line?: number;
}

export interface WaiverStatus {
  rule: string;
  until: string;
  reason: string;
  expired: boolean;
  /** Names of the checks it turned from warn/fail into pass. */
  applied: string[];
  line: number;
}

/** gate.json (schemas/gate.schema.json). */
export interface GateResult {
  schemaVersion: 1;
  tool: { name: 'mlops-actions'; version: string };
  name: string;
  policy: string;
  passed: boolean;
  verdict: Verdict;
  rules: GateCheck[];
  waivers: WaiverStatus[];
}

/** The worst verdict wins. */
export function overallVerdict(checks: Pick<GateCheck, 'verdict'>[]): Verdict {
  if (checks.some((check) => check.verdict === 'fail')) return 'fail';
  if (checks.some((check) => check.verdict === 'warn')) return 'warn';
  return 'pass';
}
