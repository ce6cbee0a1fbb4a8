import type { GateCheck, GateResult } from '../gate/gate-result.js';
import { formatInterval } from '../gate/describe.js';
import { escapeCell, formatNumber, markdownTable, VERDICT_ICON } from './markdown.js';

const HEADLINE = { pass: 'passed', warn: 'passed with warnings', fail: 'failed' } as const;
const VERDICT_ORDER = { fail: 0, warn: 1, pass: 2 } as const;

function formatValue(value: GateCheck['observed']): string {
  return typeof value === 'number' ? formatNumber(value) : value === null ? '—' : String(value);
}

function formatLimit(check: GateCheck): string {
  if (check.check === 'validation_must_pass') return 'must pass';
  if (check.check === 'present') return 'present';
  return check.threshold === null ? '—' : `${check.check} ${formatValue(check.threshold)}`;
}

function checkLabel(check: GateCheck): string {
  const note = check.waived ? ' (waived)' : check.inconclusive ? ' (not conclusive)' : '';
  return `\`${check.name}\`${note}`;
}

function counts(result: GateResult): string {
  const count = (verdict: GateCheck['verdict']) =>
    result.rules.filter((check) => check.verdict === verdict).length;
  const waived = result.rules.filter((check) => check.waived).length;
  return [
    `${count('fail')} failed`,
    `${count('warn')} warned`,
    `${count('pass')} passed${waived ? ` (${waived} waived)` : ''}`,
  ].join(', ');
}

function bulletList(title: string, checks: GateCheck[]): string[] {
  if (!checks.length) return [];
  return [
    `**${title}**`,
    '',
    ...checks.map(
      (check) => `- ${VERDICT_ICON[check.verdict]} ${checkLabel(check)}: ${escapeCell(check.reason)}`,
    ),
    '',
  ];
}

/** report.md: the verdict first, then what failed and why, then every check in a compact table. */
export function gateMarkdown(result: GateResult): string {
  const sorted = result.rules
    .map((check, index) => ({ check, index }))
    .sort((a, b) => VERDICT_ORDER[a.check.verdict] - VERDICT_ORDER[b.check.verdict] || a.index - b.index)
    .map(({ check }) => check);
  const expired = result.waivers.filter((waiver) => waiver.expired);
  const lines = [
    `## ${VERDICT_ICON[result.verdict]} ${result.name}: ${HEADLINE[result.verdict]}`,
    '',
    `${counts(result)} · policy \`${result.policy}\``,
    '',
    ...bulletList(
      'Failed',
      sorted.filter((check) => check.verdict === 'fail'),
    ),
    ...bulletList(
      'Warnings',
      sorted.filter((check) => check.verdict === 'warn'),
    ),
    ...bulletList(
      'Waived',
      sorted.filter((check) => check.waived),
    ),
    ...bulletList(
      'Past the limit, within noise',
      sorted.filter((check) => check.inconclusive),
    ),
    ...(expired.length
      ? [
          `Expired waivers (no longer applied): ${expired.map((waiver) => `\`${waiver.rule}\` (until ${waiver.until})`).join(', ')}`,
          '',
        ]
      : []),
    markdownTable(
      ['', 'Check', 'Observed', 'Limit', 'Baseline', '95% interval'],
      sorted.map((check) => [
        VERDICT_ICON[check.verdict],
        checkLabel(check),
        formatValue(check.observed),
        formatLimit(check),
        formatValue(check.baseline),
        formatInterval(check.interval),
      ]),
    ),
    '',
  ];
  return lines.join('\n');
}
