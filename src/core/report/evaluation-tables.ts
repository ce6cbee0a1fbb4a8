import type { MetricValue } from '../evaluate/metric-set.js';
import type { MetricsDocument } from '../evaluate/metrics-document.js';
import { formatNumber, formatPValue } from './markdown.js';

/** One table of the evaluation report, rendered by report.md and report.html alike. */
export interface ReportTable {
  title: string;
  headers: string[];
  rows: unknown[][];
}

export function formatInterval(interval: [number, number] | null): string {
  return interval ? `[${formatNumber(interval[0])}, ${formatNumber(interval[1])}]` : '—';
}

/** The metrics a slice table shows (all are in metrics.json). */
export function sliceColumns(task: MetricsDocument['task']): string[] {
  return task === 'regression'
    ? ['mae', 'rmse', 'r2']
    : task === 'binary'
      ? ['accuracy', 'f1', 'roc_auc']
      : ['accuracy', 'f1', 'log_loss'];
}

const SERVING = new Set([
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'rows_per_second',
  'model_size_bytes',
]);

function headlineRows(metrics: Record<string, MetricValue>): string[][] {
  return Object.entries(metrics)
    .filter(([name]) => !SERVING.has(name))
    .map(([name, metric]) => [name, formatNumber(metric.value), formatInterval(metric.interval)]);
}

function percentiles({ p50Ms, p95Ms, p99Ms }: { p50Ms: number; p95Ms: number; p99Ms: number }): string {
  return [p50Ms, p95Ms, p99Ms].map((value) => formatNumber(value, 3)).join(' / ');
}

/** The one-sentence description above the tables; `code` marks up paths and names for the format. */
export function evaluationIntro(document: MetricsDocument, code: (text: string) => string): string {
  const positive =
    document.positiveClass !== undefined ? `, positive class ${code(document.positiveClass)}` : '';
  return (
    `${document.task} model on ${code(document.data.path)} (${document.n} rows), target ${code(document.target)}${positive}. ` +
    `Intervals: 95% Poisson bootstrap (${document.bootstrap.resamples} resamples, seed ${document.bootstrap.seed}).`
  );
}

/** Headline metrics, comparisons, confusion matrix, slices and serving, in report order. */
export function evaluationTables(document: MetricsDocument): ReportTable[] {
  const tables: ReportTable[] = [
    { title: 'Metrics', headers: ['Metric', 'Value', '95% interval'], rows: headlineRows(document.metrics) },
  ];
  for (const comparison of document.comparisons) {
    tables.push({
      title: `Against the ${comparison.role} ${comparison.name}`,
      headers: ['Metric', 'Model', comparison.role, 'Δ (model − baseline)', '95% interval', 'p', 'Test'],
      rows: Object.entries(comparison.deltas).map(([name, delta]) => [
        name,
        formatNumber(document.metrics[name]?.value),
        formatNumber(comparison.metrics[name]?.value),
        formatNumber(delta.delta),
        formatInterval(delta.interval),
        formatPValue(delta.pValue),
        delta.test,
      ]),
    });
  }
  if (document.confusionMatrix) {
    const { labels, matrix } = document.confusionMatrix;
    tables.push({
      title: 'Confusion matrix (rows: actual, columns: predicted)',
      headers: ['', ...labels],
      rows: matrix.map((row, index) => [labels[index], ...row]),
    });
  }
  if (document.slices.length) {
    const names = sliceColumns(document.task);
    tables.push({
      title: 'Slices',
      headers: ['Column', 'Slice', 'Rows', ...names],
      rows: document.slices.map((slice) => [
        slice.column,
        slice.label,
        `${slice.n}${slice.small ? ' ⚠️ small' : ''}`,
        ...names.map((name) => {
          const metric = slice.metrics[name];
          return metric?.value === null || metric === undefined
            ? '—'
            : `${formatNumber(metric.value)} ${formatInterval(metric.interval)}`;
        }),
      ]),
    });
  }
  const { latency, model } = document;
  tables.push({
    title: 'Serving',
    headers: ['Measure', 'Value'],
    rows: [
      ['single-row latency p50 / p95 / p99 (ms)', percentiles(latency.singleRow)],
      [`batch of ${latency.batch.rows} rows p50 / p95 / p99 (ms)`, percentiles(latency.batch)],
      ['rows per second (batched scoring)', formatNumber(Math.round(latency.rowsPerSecond))],
      ['model size (bytes)', model.sizeBytes],
      [
        'ONNX opset',
        Object.entries(model.opset)
          .map(([domain, version]) => `${domain} ${version}`)
          .join(', '),
      ],
      ['inputs', model.binding],
    ],
  });
  return tables;
}
