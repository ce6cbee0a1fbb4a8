import { formatNumber } from '../report/markdown.js';
import { judge, verdictOf } from './decide.js';
import { boundReason } from './describe.js';
import type { GateMetrics, SliceMetrics } from './gate-inputs.js';
import type { GateCheck } from './gate-result.js';
import type { SliceRule } from './policy.js';

function sliceCheck(rule: SliceRule, slice: SliceMetrics): GateCheck {
  const kind = rule.min !== undefined ? 'min' : 'max';
  const limit = rule[kind]!;
  const found = slice.metrics[rule.metric];
  const base = {
    name: `${rule.name}=${slice.label}.${kind}`,
    rule: rule.name,
    check: kind,
    metric: rule.metric,
    slice: { column: slice.column, label: slice.label, n: slice.n },
    threshold: limit,
    baseline: null,
    severity: rule.severity,
    line: rule.keys[kind] ?? rule.line,
  } as const;
  const where = `${rule.metric} on ${slice.column}=${slice.label}`;
  if (slice.n < rule.min_rows) {
    const reason = `skipped: ${slice.n} rows, fewer than min_rows ${rule.min_rows}`;
    const name = `${rule.name}=${slice.label}.min_rows`;
    return {
      ...base,
      check: 'min_rows',
      name,
      observed: slice.n,
      threshold: rule.min_rows,
      interval: null,
      verdict: 'pass',
      reason,
    };
  }
  if (found?.value === null || found?.value === undefined) {
    const reason = found
      ? `${where} is not defined on this slice`
      : `${where} is not in metrics.json's slices`;
    return { ...base, observed: null, interval: null, verdict: found ? 'warn' : 'fail', reason };
  }
  const measured = { point: found.value, interval: found.interval };
  const judgement = judge(measured, limit, kind === 'min' ? 'below' : 'above', rule.decide_on);
  return {
    ...base,
    observed: found.value,
    interval: found.interval,
    decidedOn: judgement.decidedOn,
    ...verdictOf(judgement, rule.severity),
    reason: boundReason(where, measured, `${kind} ${formatNumber(limit)}`, judgement, rule.decide_on),
  };
}

/** One check per slice of the rule's column (plus the rule's max when it has both bounds). */
export function judgeSliceRule(rule: SliceRule, metrics: GateMetrics): GateCheck[] {
  const slices = (metrics.slices ?? []).filter((slice) => slice.column === rule.column);
  if (!slices.length) {
    return [
      {
        name: `${rule.name}.present`,
        rule: rule.name,
        check: 'present',
        metric: rule.metric,
        observed: null,
        threshold: null,
        baseline: null,
        interval: null,
        severity: rule.severity,
        verdict: 'fail',
        reason: `metrics.json has no slices of column "${rule.column}" (run evaluate with --slice ${rule.column})`,
        line: rule.keys.column ?? rule.line,
      },
    ];
  }
  const bounds =
    rule.min !== undefined && rule.max !== undefined
      ? [
          { ...rule, max: undefined },
          { ...rule, min: undefined },
        ]
      : [rule];
  const checks = bounds.flatMap((bound) => slices.map((slice) => sliceCheck(bound, slice)));
  // A slice too small to judge is reported once, not once per bound.
  return checks.filter(
    (check, index) =>
      check.check !== 'min_rows' || checks.findIndex((other) => other.name === check.name) === index,
  );
}
