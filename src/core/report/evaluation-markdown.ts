import type { MetricsDocument } from '../evaluate/metrics-document.js';
import type { MetricValue } from '../evaluate/metric-set.js';
import { GRID, evaluationCharts, type ChartData } from './evaluation-charts.js';
import { formatNumber, markdownTable } from './markdown.js';

export function formatInterval(interval: [number, number] | null): string {
  return interval ? `[${formatNumber(interval[0])}, ${formatNumber(interval[1])}]` : '—';
}

export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return p < 1e-4 ? '<0.0001' : formatNumber(p);
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

export function headlineRows(metrics: Record<string, MetricValue>): string[][] {
  return Object.entries(metrics)
    .filter(([name]) => !SERVING.has(name))
    .map(([name, metric]) => [name, formatNumber(metric.value), formatInterval(metric.interval)]);
}

function mermaidChart(chart: ChartData, calibration: boolean): string {
  const values = (points: { y: number }[]) =>
    `[${points.map((point) => formatNumber(point.y, 3)).join(', ')}]`;
  if (calibration) {
    const labels = chart.curve.map((point) => formatNumber(point.x, 2));
    return [
      '```mermaid',
      'xychart-beta',
      `  title "${chart.title} — line: observed, dashed ideal = x"`,
      `  x-axis "${chart.xLabel}" [${labels.map((label) => `"${label}"`).join(', ')}]`,
      `  y-axis "${chart.yLabel}" 0 --> 1`,
      `  line ${values(chart.curve)}`,
      `  line ${values(chart.curve.map((point) => ({ y: point.x })))}`,
      '```',
    ].join('\n');
  }
  const reference = GRID.map((x) => ({
    y: chart.reference[0].y + (chart.reference[1].y - chart.reference[0].y) * x,
  }));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${chart.title}"`,
    `  x-axis "${chart.xLabel}" 0 --> 1`,
    `  y-axis "${chart.yLabel}" 0 --> 1`,
    `  line ${values(chart.curve)}`,
    `  line ${values(reference)}`,
    '```',
  ].join('\n');
}

/** report.md: the job summary — headline metrics, baseline deltas, slices, latency, charts GitHub renders. */
export function evaluationMarkdown(document: MetricsDocument): string {
  const lines: string[] = [
    `## Evaluation: \`${document.model.path}\``,
    '',
    `${document.task} model on \`${document.data.path}\` (${document.n} rows), target \`${document.target}\`` +
      (document.positiveClass !== undefined ? `, positive class \`${document.positiveClass}\`` : '') +
      `. Intervals: 95% Poisson bootstrap (${document.bootstrap.resamples} resamples, seed ${document.bootstrap.seed}).`,
    '',
    markdownTable(['Metric', 'Value', '95% interval'], headlineRows(document.metrics)),
  ];
  for (const comparison of document.comparisons) {
    lines.push('', `### Against the ${comparison.role} \`${comparison.name}\``, '');
    lines.push(
      markdownTable(
        ['Metric', 'Model', comparison.role, 'Δ (model − baseline)', '95% interval', 'p', 'Test'],
        Object.entries(comparison.deltas).map(([name, delta]) => [
          name,
          formatNumber(document.metrics[name]?.value),
          formatNumber(comparison.metrics[name]?.value),
          formatNumber(delta.delta),
          formatInterval(delta.interval),
          formatPValue(delta.pValue),
          delta.test,
        ]),
      ),
    );
  }
  if (document.confusionMatrix) {
    const { labels, matrix } = document.confusionMatrix;
    lines.push('', '### Confusion matrix (rows: actual, columns: predicted)', '');
    lines.push(
      markdownTable(
        ['', ...labels],
        matrix.map((row, index) => [labels[index], ...row]),
      ),
    );
  }
  if (document.slices.length) {
    const names = sliceColumns(document.task);
    lines.push('', '### Slices', '');
    lines.push(
      markdownTable(
        ['Column', 'Slice', 'Rows', ...names],
        document.slices.map((slice) => [
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
      ),
    );
  }
  const { latency } = document;
  lines.push('', '### Serving', '');
  lines.push(
    markdownTable(
      ['Measure', 'Value'],
      [
        [
          'single-row latency p50 / p95 / p99 (ms)',
          `${formatNumber(latency.singleRow.p50Ms, 3)} / ${formatNumber(latency.singleRow.p95Ms, 3)} / ${formatNumber(latency.singleRow.p99Ms, 3)}`,
        ],
        [
          `batch of ${latency.batch.rows} rows p50 / p95 / p99 (ms)`,
          `${formatNumber(latency.batch.p50Ms, 3)} / ${formatNumber(latency.batch.p95Ms, 3)} / ${formatNumber(latency.batch.p99Ms, 3)}`,
        ],
        ['rows per second (batched scoring)', formatNumber(Math.round(latency.rowsPerSecond))],
        ['model size (bytes)', String(document.model.sizeBytes)],
        [
          'ONNX opset',
          Object.entries(document.model.opset)
            .map(([domain, version]) => `${domain} ${version}`)
            .join(', '),
        ],
      ],
    ),
  );
  const charts = evaluationCharts(document.curves);
  if (charts.length) {
    lines.push('', '### Charts', '');
    for (const chart of charts) lines.push(mermaidChart(chart, chart.title.startsWith('Calibration')), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
