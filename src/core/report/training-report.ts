import type { TrainingCurvePoint } from '../train/model-types.js';
import type { TrainingRecord } from '../train/training-record.js';
import { escapeCell, formatNumber, markdownTable } from './markdown.js';

const MAX_CHART_POINTS = 60;

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** Evenly spaced points (first and last kept), so long curves stay readable. */
function sample(curve: TrainingCurvePoint[]): TrainingCurvePoint[] {
  if (curve.length <= MAX_CHART_POINTS) return curve;
  const step = (curve.length - 1) / (MAX_CHART_POINTS - 1);
  return Array.from({ length: MAX_CHART_POINTS }, (_, at) => curve[Math.round(at * step)]);
}

/** A Mermaid xychart of the loss per iteration: validation loss when recorded (boosting), else training loss. */
export function curveChart(curve: TrainingCurvePoint[]): string | undefined {
  if (curve.length < 2) return undefined;
  const points = sample(curve);
  const hasValidation = points.every((point) => point.validationLoss !== undefined);
  const series = hasValidation
    ? points.map((point) => point.validationLoss!)
    : points.map((point) => point.trainLoss);
  const low = Math.min(...series);
  const high = Math.max(...series);
  const margin = (high - low) * 0.05 || Math.abs(high) * 0.05 || 1;
  const title = hasValidation ? 'Validation loss per iteration' : 'Training loss per iteration';
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "iteration" [${points.map((point) => point.iteration).join(', ')}]`,
    `  y-axis "loss" ${formatNumber(low - margin, 5)} --> ${formatNumber(high + margin, 5)}`,
    `  line [${series.map((value) => formatNumber(value, 6)).join(', ')}]`,
    '```',
  ].join('\n');
}

/** Short lines for the terminal. */
export function trainingSummaryLines(record: TrainingRecord): string[] {
  if (record.mode === 'command') {
    return [
      `trained with command: ${record.command} (exit ${record.exitCode}, ${formatDuration(record.durationMs)})`,
      `model: ${record.model.bytes} bytes, sha256 ${record.model.sha256}`,
    ];
  }
  const metrics = Object.entries(record.validationMetrics)
    .map(([name, value]) => `${name} ${formatNumber(value)}`)
    .join(', ');
  return [
    `trained ${record.algorithm} (${record.task}) on ${record.split.trainRows} rows in ${formatDuration(record.durationMs)}: ${formatParams(record.params)}`,
    ...(metrics ? [`validation (${record.split.validationRows} rows): ${metrics}`] : []),
    `model: ${record.features.length} features → ${record.model.outputs.map((output) => output.name).join(', ')}; ${record.model.bytes} bytes`,
  ];
}

/** The job summary: algorithm, params, rows, duration, validation metrics and the training curve. */
export function trainingMarkdown(record: TrainingRecord): string {
  if (record.mode === 'command') {
    return [
      '## Training (command)',
      '',
      markdownTable(
        ['command', 'exit code', 'duration', 'model sha256'],
        [
          [
            `\`${record.command}\``,
            record.exitCode,
            formatDuration(record.durationMs),
            record.model.sha256.slice(0, 16),
          ],
        ],
      ),
      '',
    ].join('\n');
  }
  const rows = [
    ['algorithm', record.algorithm],
    ['task', record.task + (record.classes ? ` (classes: ${record.classes.join(', ')})` : '')],
    ['target', `\`${record.target.name}\``],
    ['params', formatParams(record.params)],
    ['seed', record.seed],
    [
      'rows',
      `${record.split.trainRows} train, ${record.split.validationRows} validation (${record.split.method} split)`,
    ],
    ['features', record.features.map((feature) => `\`${feature.name}\``).join(', ')],
    ['duration', formatDuration(record.durationMs)],
    ['model', `${record.model.bytes} bytes, sha256 \`${record.model.sha256.slice(0, 16)}…\``],
  ];
  const metrics = Object.entries(record.validationMetrics);
  const chart = curveChart(record.curve);
  return [
    `## Training: ${escapeCell(record.algorithm)}`,
    '',
    markdownTable(['', ''], rows),
    '',
    ...(metrics.length
      ? [
          '### Validation',
          '',
          markdownTable(
            ['metric', 'value'],
            metrics.map(([name, value]) => [name, formatNumber(value)]),
          ),
          '',
        ]
      : []),
    ...(record.skippedColumns.length
      ? [
          `Skipped columns: ${record.skippedColumns.map((column) => `\`${column.name}\` (${column.reason})`).join(', ')}`,
          '',
        ]
      : []),
    ...(chart ? ['### Training curve', '', chart, ''] : []),
  ].join('\n');
}
