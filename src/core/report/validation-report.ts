import type { Check } from '../data/checks.js';
import type { DriftEntry } from '../data/drift.js';
import type { ColumnProfile, Profile } from '../data/profile.js';
import type { Validation } from '../data/validate.js';
import { escapeHtml, htmlPage, htmlTable } from './html.js';
import {
  VERDICT_ICON,
  escapeCell,
  formatNumber,
  formatPValue,
  markdownTable,
  shortText,
  shownValue,
} from './markdown.js';

const MAX_FAILED_ROWS_SHOWN = 30;
const MAX_SAMPLES_SHOWN = 3;

function verdictLine(validation: Validation): string {
  const failed = validation.failedRules.length;
  const warned = validation.warnings.length;
  const icon = failed ? VERDICT_ICON.fail : warned ? VERDICT_ICON.warn : VERDICT_ICON.pass;
  const word = failed ? 'failed' : warned ? 'passed with warnings' : 'passed';
  const drifted = validation.drift.length
    ? `; ${validation.driftedColumns.length} of ${validation.drift.length} compared columns drifted`
    : '';
  return `${icon} **${word}**: ${failed} rule(s) failed, ${warned} warning(s)${drifted}. ${validation.data.rows} rows of \`${validation.data.path}\`.`;
}

function observed(check: Check): string {
  if (typeof check.observed === 'number') return formatNumber(check.observed);
  return escapeCell(JSON.stringify(check.observed));
}

function limitText(check: Check): string {
  return typeof check.limit === 'number' ? formatNumber(check.limit) : JSON.stringify(check.limit);
}

function samplesText(check: Check): string {
  if (!check.samples?.length) return '';
  return check.samples
    .slice(0, MAX_SAMPLES_SHOWN)
    .map((sample) => `row ${sample.row}: ${shownValue(sample.value)}`)
    .join('; ');
}

function driftRow(entry: DriftEntry): unknown[] {
  const s = entry.statistics;
  return [
    entry.drifted ? VERDICT_ICON.warn : VERDICT_ICON.pass,
    entry.column,
    entry.kind,
    `**${entry.statistic}**`,
    entry.decidedBy === 'p_value' ? `p=${formatPValue(entry.pValueAdjusted)}` : formatNumber(entry.value),
    entry.threshold,
    s.ks ? `${formatNumber(s.ks.value)} (p=${formatPValue(s.ks.pValue)})` : '—',
    s.chi_square ? `${formatNumber(s.chi_square.value)} (p=${formatPValue(s.chi_square.pValue)})` : '—',
    formatNumber(s.psi.value),
    formatNumber(s.jensen_shannon.value),
    s.wasserstein ? formatNumber(s.wasserstein.value) : '—',
  ];
}

const DRIFT_HEADERS = [
  '',
  'column',
  'kind',
  'decides',
  'value',
  'threshold',
  'KS',
  'chi²',
  'PSI',
  'Jensen–Shannon',
  'Wasserstein (normed)',
];

/** report.md: sized for a job summary; verdict, failed rules first, drift table, a short profile. */
export function validationMarkdown(validation: Validation, profile: Profile): string {
  const lines = ['## Data validation', '', verdictLine(validation), ''];
  const notPassed = validation.checks.filter((check) => check.verdict !== 'pass' && check.kind !== 'drift');
  if (notPassed.length) {
    const failing = notPassed.some((check) => check.verdict === 'fail');
    const warning = notPassed.some((check) => check.verdict === 'warn');
    lines.push(
      `### ${failing && warning ? 'Failed rules and warnings' : failing ? 'Failed rules' : 'Warnings'}`,
      '',
    );
    lines.push(
      markdownTable(
        ['', 'rule', 'observed', 'limit', 'detail', 'examples'],
        notPassed
          .slice(0, MAX_FAILED_ROWS_SHOWN)
          .map((check) => [
            VERDICT_ICON[check.verdict],
            `\`${check.name}\``,
            observed(check),
            limitText(check),
            check.detail,
            samplesText(check),
          ]),
      ),
      '',
    );
    if (notPassed.length > MAX_FAILED_ROWS_SHOWN)
      lines.push(`… and ${notPassed.length - MAX_FAILED_ROWS_SHOWN} more in validation.json.`, '');
  }
  const passed = validation.checks.filter((check) => check.verdict === 'pass' && check.kind !== 'drift');
  if (passed.length) {
    lines.push(
      `<details><summary>${passed.length} rule(s) passed</summary>`,
      '',
      passed.map((check) => `\`${check.name}\``).join(', '),
      '',
      '</details>',
      '',
    );
  }
  if (validation.reference) {
    lines.push(
      `### Drift against \`${validation.reference.path}\` (${validation.reference.kind}, ${validation.reference.rows} rows)`,
      '',
    );
    if (validation.drift.length) {
      const ordered = [...validation.drift].sort((a, b) => Number(b.drifted) - Number(a.drifted));
      lines.push(markdownTable(DRIFT_HEADERS, ordered.map(driftRow)), '');
    }
    if (validation.driftSkipped.length) {
      lines.push(
        `Not compared: ${validation.driftSkipped.map((skip) => `\`${skip.column}\` (${skip.reason})`).join(', ')}.`,
        '',
      );
    }
    lines.push(
      'p-values are adjusted for the number of columns (Benjamini–Hochberg); a distance counts as drift only when its test also rejects.',
      '',
    );
  }
  lines.push('### Profile', '');
  lines.push(
    markdownTable(
      ['column', 'type', 'missing', 'distinct', 'min', 'mean', 'max', 'top / median'],
      profile.columns.map((column) => profileRow(column)),
    ),
    '',
  );
  lines.push(`sha256 \`${validation.data.sha256}\``, '');
  return lines.join('\n');
}

function profileRow(column: ColumnProfile): unknown[] {
  const numeric = column.numeric;
  const top = column.categories?.values[0];
  return [
    column.name,
    column.sqlType,
    column.missing,
    column.distinct,
    numeric ? formatNumber(numeric.min) : (column.datetime?.min ?? '—'),
    numeric ? formatNumber(numeric.mean) : '—',
    numeric ? formatNumber(numeric.max) : (column.datetime?.max ?? '—'),
    numeric ? formatNumber(numeric.quantiles.p50) : top ? `${shortText(top.value)} (${top.count})` : '—',
  ];
}

function histogramSvg(counts: number[], reference?: number[]): string {
  const width = 240;
  const height = 60;
  const peak = Math.max(
    ...counts.map((count) => count / Math.max(1, sum(counts))),
    ...(reference ?? []).map((count) => count / Math.max(1, sum(reference!))),
    1e-9,
  );
  const barWidth = width / counts.length;
  const bars = (values: number[], colour: string, offset: number) =>
    values
      .map((value, index) => {
        const h = (value / Math.max(1, sum(values)) / peak) * (height - 2);
        return `<rect x="${(index * barWidth + offset).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${(barWidth / (reference ? 2 : 1) - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"/>`;
      })
      .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${reference ? bars(reference, '#8c959f', 0) : ''}${bars(counts, '#0969da', reference ? barWidth / 2 : 0)}</svg>`;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** report.html: self-contained (inline CSS and SVG, no scripts, no network). */
export function validationHtml(validation: Validation, profile: Profile): string {
  const verdict = validation.failedRules.length ? 'fail' : validation.warnings.length ? 'warn' : 'pass';
  const parts = [
    `<p class="${verdict}"><strong>${escapeHtml(verdictLine(validation).replace(/\*\*/g, '').replace(/`/g, ''))}</strong></p>`,
    '<h2>Rules</h2>',
    validation.checks.filter((check) => check.kind !== 'drift').length
      ? htmlTable(
          ['verdict', 'rule', 'observed', 'limit', 'detail', 'examples'],
          validation.checks
            .filter((check) => check.kind !== 'drift')
            .map((check) => [
              check.verdict,
              check.name,
              typeof check.observed === 'number'
                ? formatNumber(check.observed)
                : JSON.stringify(check.observed),
              limitText(check),
              check.detail,
              samplesText(check),
            ]),
        )
      : '<p>No contract given: only the profile and drift.</p>',
  ];
  if (validation.reference) {
    parts.push(`<h2>Drift against ${escapeHtml(validation.reference.path)}</h2>`);
    parts.push(
      htmlTable(
        DRIFT_HEADERS.slice(1),
        validation.drift.map((entry) =>
          driftRow(entry)
            .slice(1)
            .map((cell) => String(cell).replace(/\*\*/g, '')),
        ),
      ),
    );
    if (validation.driftSkipped.length)
      parts.push(
        `<p>Not compared: ${escapeHtml(validation.driftSkipped.map((skip) => `${skip.column} (${skip.reason})`).join(', '))}</p>`,
      );
  }
  parts.push('<h2>Profile</h2>');
  const rows = profile.columns.map((column) => {
    const cells = profileRow(column)
      .map((cell) => `<td>${escapeHtml(cell)}</td>`)
      .join('');
    const chart = column.numeric
      ? histogramSvg(column.numeric.histogram.counts)
      : column.categories
        ? escapeHtml(
            column.categories.values
              .slice(0, 5)
              .map((entry) => `${shortText(entry.value)}: ${entry.count}`)
              .join(', '),
          )
        : '';
    return `<tr>${cells}<td>${chart}</td></tr>`;
  });
  const headers = [
    'column',
    'type',
    'missing',
    'distinct',
    'min',
    'mean',
    'max',
    'top / median',
    'distribution',
  ];
  parts.push(
    `<table><thead><tr>${headers.map((header) => `<th>${header}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`,
  );
  parts.push(
    `<p>${escapeHtml(validation.data.rows)} rows · sha256 <code>${escapeHtml(validation.data.sha256)}</code></p>`,
  );
  return htmlPage(`Data validation: ${validation.data.path}`, parts.join('\n'));
}
