/**
 * The metric names shared by metrics.json, the policy and the reports, with the direction of "better":
 * the gate needs it to tell a drop from a gain, the reports to colour a delta.
 */
export const METRIC_DIRECTION = {
  accuracy: 'higher',
  balanced_accuracy: 'higher',
  precision: 'higher',
  recall: 'higher',
  f1: 'higher',
  precision_weighted: 'higher',
  recall_weighted: 'higher',
  f1_weighted: 'higher',
  roc_auc: 'higher',
  pr_auc: 'higher',
  log_loss: 'lower',
  brier: 'lower',
  ece: 'lower',
  mae: 'lower',
  rmse: 'lower',
  r2: 'higher',
  mape: 'lower',
  median_ae: 'lower',
  latency_p50_ms: 'lower',
  latency_p95_ms: 'lower',
  latency_p99_ms: 'lower',
  rows_per_second: 'higher',
  model_size_bytes: 'lower',
} as const;

export type MetricName = keyof typeof METRIC_DIRECTION;

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRIC_DIRECTION, name);
}

/** How much worse `candidate` is than `reference` (positive = worse), whatever the metric's direction. */
export function dropOf(metric: MetricName, reference: number, candidate: number): number {
  return METRIC_DIRECTION[metric] === 'higher' ? reference - candidate : candidate - reference;
}
