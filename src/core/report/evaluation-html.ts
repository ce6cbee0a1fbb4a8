import type { MetricsDocument } from '../evaluate/metrics-document.js';
import { evaluationCharts } from './evaluation-charts.js';
import { formatInterval, formatPValue, headlineRows, sliceColumns } from './evaluation-markdown.js';
import { escapeHtml, htmlPage, htmlTable } from './html.js';
import { formatNumber } from './markdown.js';
import { unitLineChart } from './svg-chart.js';

/** report.html: the same content as report.md, self-contained, with SVG charts. */
export function evaluationHtml(document: MetricsDocument): string {
  const parts: string[] = [
    `<p>${escapeHtml(document.task)} model <code>${escapeHtml(document.model.path)}</code> on <code>${escapeHtml(document.data.path)}</code> (${document.n} rows), target <code>${escapeHtml(document.target)}</code>${
      document.positiveClass !== undefined
        ? `, positive class <code>${escapeHtml(document.positiveClass)}</code>`
        : ''
    }. Intervals: 95% bootstrap (${document.bootstrap.resamples} resamples, seed ${document.bootstrap.seed}).</p>`,
    '<h2>Metrics</h2>',
    htmlTable(['Metric', 'Value', '95% interval'], headlineRows(document.metrics)),
  ];
  for (const comparison of document.comparisons) {
    parts.push(`<h2>Against the ${escapeHtml(comparison.role)} ${escapeHtml(comparison.name)}</h2>`);
    parts.push(
      htmlTable(
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
  const charts = evaluationCharts(document.curves);
  if (charts.length) {
    parts.push('<h2>Charts</h2>');
    parts.push(
      charts
        .map((chart) =>
          unitLineChart(chart.title, chart.xLabel, chart.yLabel, [
            { name: 'model', points: chart.curve, color: '#0969da' },
            {
              name: chart.title.startsWith('Calibration') ? 'perfect calibration' : 'chance',
              points: chart.reference,
              color: '#8c959f',
              dashed: true,
            },
          ]),
        )
        .join('\n'),
    );
  }
  if (document.confusionMatrix) {
    const { labels, matrix } = document.confusionMatrix;
    parts.push('<h2>Confusion matrix (rows: actual, columns: predicted)</h2>');
    parts.push(
      htmlTable(
        ['', ...labels],
        matrix.map((row, index) => [labels[index], ...row]),
      ),
    );
  }
  if (document.slices.length) {
    const names = sliceColumns(document.task);
    parts.push('<h2>Slices</h2>');
    parts.push(
      htmlTable(
        ['Column', 'Slice', 'Rows', ...names],
        document.slices.map((slice) => [
          slice.column,
          slice.label,
          `${slice.n}${slice.small ? ' (small)' : ''}`,
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
  parts.push('<h2>Serving</h2>');
  parts.push(
    htmlTable(
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
        ['model size (bytes)', document.model.sizeBytes],
        [
          'ONNX opset',
          Object.entries(document.model.opset)
            .map(([domain, version]) => `${domain} ${version}`)
            .join(', '),
        ],
        ['inputs', document.model.binding],
      ],
    ),
  );
  return htmlPage(`Evaluation: ${document.model.path}`, parts.join('\n'));
}
