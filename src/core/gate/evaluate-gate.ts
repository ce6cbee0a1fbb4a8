import { TOOL_VERSION } from '../version.js';
import { IMPLIED_DATA_RULES, judgeDataRules } from './data-rules.js';
import type { GateMetrics, GateValidation } from './gate-inputs.js';
import { overallVerdict, type GateResult } from './gate-result.js';
import { judgeMetricRule } from './metric-rules.js';
import type { Policy } from './policy.js';
import { judgeSliceRule } from './slice-rules.js';
import { applyWaivers } from './waivers.js';

export interface GateInputs {
  /** The gate's name (the check run's and the comment's title). */
  name: string;
  policy: Policy;
  metrics: GateMetrics;
  validation?: GateValidation;
  /** YYYY-MM-DD, UTC: decides which waivers still hold. */
  today: string;
}

/** Applies every rule of the policy and returns gate.json's content (checks in policy order). */
export function evaluateGate({ name, policy, metrics, validation, today }: GateInputs): GateResult {
  const dataRules = policy.data ?? (validation ? IMPLIED_DATA_RULES : undefined);
  const judged = [
    ...policy.metrics.flatMap((rule) => judgeMetricRule(rule, metrics)),
    ...policy.slices.flatMap((rule) => judgeSliceRule(rule, metrics)),
    ...(dataRules ? judgeDataRules(dataRules, validation) : []),
  ];
  const { checks, waivers } = applyWaivers(judged, policy.waivers, today);
  const verdict = overallVerdict(checks);
  return {
    schemaVersion: 1,
    tool: { name: 'mlops-actions', version: TOOL_VERSION },
    name,
    policy: policy.file,
    passed: verdict !== 'fail',
    verdict,
    rules: checks,
    waivers,
  };
}
