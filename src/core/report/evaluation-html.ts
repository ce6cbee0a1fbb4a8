import type { MetricsDocument } from '../evaluate/metrics-document.js';
import { evaluationCharts } from './evaluation-charts.js';
import { evaluationIntro, evaluationTables } from './evaluation-tables.js';
import { escapeHtml, htmlPage, htmlTable } from './html.js';
import { unitLineChart } from './svg-chart.js';

/** report.html: the same content as report.md, self-contained, with SVG charts. */
export function evaluationHtml(document: MetricsDocument): string {
  const parts = [`<p>${evaluationIntro(document, (text) => `<code>${escapeHtml(text)}</code>`)}</p>`];
  for (const table of evaluationTables(document)) {
    parts.push(`<h2>${escapeHtml(table.title)}</h2>`, htmlTable(table.headers, table.rows));
  }
  const charts = evaluationCharts(document.curves);
  if (charts.length) {
    parts.push('<h2>Charts</h2>');
    for (const chart of charts) {
      parts.push(
        unitLineChart(chart.title, chart.xLabel, chart.yLabel, [
          { name: 'model', points: chart.curve, color: '#0969da' },
          {
            name: chart.title.startsWith('Calibration') ? 'perfect calibration' : 'chance',
            points: chart.reference,
            color: '#8c959f',
            dashed: true,
          },
        ]),
      );
    }
  }
  return htmlPage(`Evaluation: ${document.model.path}`, parts.join('\n'));
}
