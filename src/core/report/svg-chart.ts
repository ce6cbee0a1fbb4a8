import { escapeHtml } from './html.js';

export interface ChartSeries {
  name: string;
  points: { x: number; y: number }[];
  color: string;
  dashed?: boolean;
}

const WIDTH = 360;
const HEIGHT = 300;
const MARGIN = { left: 48, right: 12, top: 28, bottom: 40 };

/** A self-contained SVG line chart over the unit square (ROC, PR, calibration): no script, no fonts to fetch. */
export function unitLineChart(title: string, xLabel: string, yLabel: string, series: ChartSeries[]): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => (MARGIN.left + value * plotWidth).toFixed(1);
  const y = (value: number) => (MARGIN.top + (1 - value) * plotHeight).toFixed(1);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks
    .map(
      (tick) =>
        `<line x1="${x(tick)}" y1="${y(0)}" x2="${x(tick)}" y2="${y(1)}" stroke="#eaeef2"/>` +
        `<line x1="${x(0)}" y1="${y(tick)}" x2="${x(1)}" y2="${y(tick)}" stroke="#eaeef2"/>` +
        `<text x="${x(tick)}" y="${HEIGHT - MARGIN.bottom + 14}" font-size="10" text-anchor="middle">${tick}</text>` +
        `<text x="${MARGIN.left - 6}" y="${y(tick)}" font-size="10" text-anchor="end" dominant-baseline="middle">${tick}</text>`,
    )
    .join('');
  const lines = series
    .map(
      (line) =>
        `<polyline fill="none" stroke="${line.color}" stroke-width="2"${line.dashed ? ' stroke-dasharray="4 3"' : ''} points="${line.points
          .map((point) => `${x(point.x)},${y(point.y)}`)
          .join(' ')}"><title>${escapeHtml(line.name)}</title></polyline>`,
    )
    .join('');
  const legend = series
    .map(
      (line, index) =>
        `<text x="${MARGIN.left + 8}" y="${MARGIN.top + 14 + index * 13}" font-size="10" fill="${line.color}">${escapeHtml(line.name)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">
<text x="${WIDTH / 2}" y="16" font-size="12" font-weight="bold" text-anchor="middle">${escapeHtml(title)}</text>
${grid}<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#8c959f"/>
${lines}${legend}
<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" font-size="11" text-anchor="middle">${escapeHtml(xLabel)}</text>
<text x="12" y="${MARGIN.top + plotHeight / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${MARGIN.top + plotHeight / 2})">${escapeHtml(yLabel)}</text>
</svg>`;
}
