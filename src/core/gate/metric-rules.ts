import { formatNumber } from '../report/markdown.js';
import { isMetricName, METRIC_DIRECTION } from '../metric-catalog.js';
import { judge, verdictOf, type Measured } from './decide.js';
import { boundReason } from './describe.js';
import type { Comparison, GateMetrics, Interval, MetricValue } from './gate-inputs.js';
import type { CheckKind, GateCheck } from './gate-result.js';
import { DEFAULT_MAX_DROP, type MetricRule } from './policy.js';

/** A metric rule's value: headline metrics, with the model's file size standing in for model_size_bytes. */
export function findMetric(metrics: GateMetrics, name: string): MetricValue | undefined {
  if (Object.hasOwn(metrics.metrics, name)) return metrics.metrics[name];
  if (name === 'model_size_bytes' && metrics.model?.sizeBytes !== undefined) {
    return { value: metrics.model.sizeBytes, interval: null };
  }
  return undefined;
}

export function findBaseline(metrics: GateMetrics): Comparison | undefined {
  return metrics.comparisons.find((comparison) => comparison.role === 'baseline');
}

function check(
  rule: MetricRule,
  kind: CheckKind,
  fields: Omit<GateCheck, 'name' | 'rule' | 'check' | 'metric' | 'severity' | 'line'>,
): GateCheck {
  return {
    name: `${rule.name}.${kind}`,
    rule: rule.name,
    check: kind,
    metric: rule.metric,
    severity: rule.severity,
    line: rule.keys[kind] ?? rule.keys.metric ?? rule.line,
    ...fields,
  };
}

function absentCheck(rule: MetricRule, metrics: GateMetrics, value: MetricValue | undefined): GateCheck {
  const available = Object.keys(metrics.metrics).join(', ') || 'none';
  const reason = value
    ? `${rule.metric} is null in metrics.json: it is not defined on this data`
    : `${rule.metric} is not in metrics.json (it has: ${available})`;
  return check(rule, 'present', {
    observed: null,
    threshold: null,
    baseline: null,
    interval: null,
    verdict: 'fail',
    reason,
  });
}

function boundCheck(
  rule: MetricRule,
  kind: 'min' | 'max',
  measured: Measured,
  baseline: number | null,
): GateCheck {
  const limit = rule[kind]!;
  const judgement = judge(measured, limit, kind === 'min' ? 'below' : 'above', rule.decide_on);
  return check(rule, kind, {
    observed: measured.point,
    threshold: limit,
    baseline,
    interval: measured.interval,
    decidedOn: judgement.decidedOn,
    ...verdictOf(judgement, rule.severity),
    reason: boundReason(rule.metric, measured, `${kind} ${formatNumber(limit)}`, judgement, rule.decide_on),
  });
}

/** The drop against the baseline (positive = worse) and its interval, from the paired delta when there is one. */
function dropAgainst(
  rule: MetricRule,
  value: number,
  baseline: Comparison,
): { drop: Measured; baselineValue: number } | undefined {
  if (!isMetricName(rule.metric)) return undefined;
  const higherIsBetter = METRIC_DIRECTION[rule.metric] === 'higher';
  const paired = baseline.deltas[rule.metric];
  const baselineValue = baseline.metrics[rule.metric]?.value ?? (paired ? value - paired.delta : null);
  if (baselineValue === null || baselineValue === undefined) return undefined;
  if (!paired) {
    const point = higherIsBetter ? baselineValue - value : value - baselineValue;
    return { drop: { point, interval: null }, baselineValue };
  }
  const interval: Interval =
    paired.interval && (higherIsBetter ? [-paired.interval[1], -paired.interval[0]] : paired.interval);
  return { drop: { point: higherIsBetter ? -paired.delta : paired.delta, interval }, baselineValue };
}

function dropChecks(rule: MetricRule, value: number, metrics: GateMetrics): GateCheck[] {
  const baseline = findBaseline(metrics);
  const measured = baseline && dropAgainst(rule, value, baseline);
  if (!measured) {
    const kind =
      typeof rule.max_drop === 'number'
        ? 'max_drop'
        : rule.max_relative_drop !== undefined
          ? 'max_relative_drop'
          : undefined;
    if (!kind) return [];
    const why = baseline
      ? `the baseline has no ${rule.metric}`
      : 'metrics.json has no baseline comparison (evaluate --baseline)';
    return [
      check(rule, kind, {
        observed: null,
        threshold: rule[kind] ?? null,
        baseline: null,
        interval: null,
        verdict: 'warn',
        reason: `cannot compare ${rule.metric} with a baseline: ${why}`,
      }),
    ];
  }
  const { drop, baselineValue } = measured;
  // No change rule written: the default guards against a significant regression, which needs an interval.
  const unwritten = rule.max_drop === undefined && rule.max_relative_drop === undefined;
  const maxDrop = unwritten ? (drop.interval ? DEFAULT_MAX_DROP : undefined) : rule.max_drop;
  const checks: GateCheck[] = [];
  if (maxDrop !== undefined && maxDrop !== null) {
    const judgement = judge(drop, maxDrop, 'above', rule.decide_on);
    const limit = `max_drop ${formatNumber(maxDrop)}${rule.max_drop === undefined ? ' (default)' : ''}`;
    checks.push(
      check(rule, 'max_drop', {
        observed: drop.point,
        threshold: maxDrop,
        baseline: baselineValue,
        interval: drop.interval,
        decidedOn: judgement.decidedOn,
        ...verdictOf(judgement, rule.severity),
        reason: boundReason(`${rule.metric} drop vs baseline`, drop, limit, judgement, rule.decide_on),
      }),
    );
  }
  if (rule.max_relative_drop !== undefined) {
    const scale = Math.abs(baselineValue);
    const relative: Measured = {
      point: scale ? drop.point / scale : Number.NaN,
      interval: drop.interval && scale ? [drop.interval[0] / scale, drop.interval[1] / scale] : null,
    };
    const judgement = judge(relative, rule.max_relative_drop, 'above', rule.decide_on);
    checks.push(
      check(rule, 'max_relative_drop', {
        observed: scale ? relative.point : null,
        threshold: rule.max_relative_drop,
        baseline: baselineValue,
        interval: relative.interval,
        decidedOn: judgement.decidedOn,
        ...(scale ? verdictOf(judgement, rule.severity) : { verdict: 'warn' as const }),
        reason: scale
          ? boundReason(
              `${rule.metric} relative drop vs baseline`,
              relative,
              `max_relative_drop ${formatNumber(rule.max_relative_drop)}`,
              judgement,
              rule.decide_on,
            )
          : `cannot measure a relative drop of ${rule.metric}: the baseline value is 0`,
      }),
    );
  }
  return checks;
}

/** Every check of one metric rule: present, min, max, and the changes against the baseline. */
export function judgeMetricRule(rule: MetricRule, metrics: GateMetrics): GateCheck[] {
  const found = findMetric(metrics, rule.metric);
  if (found?.value === null || found?.value === undefined) return [absentCheck(rule, metrics, found)];
  const measured: Measured = { point: found.value, interval: found.interval };
  const baselineValue = findBaseline(metrics)?.metrics[rule.metric]?.value ?? null;
  const bounds = (['min', 'max'] as const)
    .filter((kind) => rule[kind] !== undefined)
    .map((kind) => boundCheck(rule, kind, measured, baselineValue));
  return [...bounds, ...dropChecks(rule, found.value, metrics)];
}
