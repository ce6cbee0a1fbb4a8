import type { MetricsDocument } from '../evaluate/metrics-document.js';
import { GRID, evaluationCharts, type ChartData } from './evaluation-charts.js';
import { evaluationIntro, evaluationTables } from './evaluation-tables.js';
import { formatNumber, markdownTable } from './markdown.js';

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
    evaluationIntro(document, (text) => `\`${text}\``),
  ];
  for (const table of evaluationTables(document)) {
    lines.push('', `### ${table.title}`, '', markdownTable(table.headers, table.rows));
  }
  const charts = evaluationCharts(document.curves);
  if (charts.length) {
    lines.push('', '### Charts', '');
    for (const chart of charts) lines.push(mermaidChart(chart, chart.title.startsWith('Calibration')), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
