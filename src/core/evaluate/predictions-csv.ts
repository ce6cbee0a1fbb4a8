import type { ScoredData } from './score.js';

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The --predictions CSV (DESIGN.md contract): one row per input row in input order, columns
 * `actual`, `predicted` (class label or value) and, for classifiers with probabilities, `prob_<class>`.
 */
export function predictionsCsv(scored: ScoredData, classes: string[] | null): string {
  const main = scored.models[0];
  const probabilities = classes ? main.probabilities : null;
  const header = ['actual', 'predicted', ...(probabilities ? classes!.map((label) => `prob_${label}`) : [])];
  const lines = [header.map(csvCell).join(',')];
  const k = classes?.length ?? 0;
  const labels = classes?.map(csvCell);
  for (let row = 0; row < scored.rows; row++) {
    if (labels) {
      const cells = [labels[scored.actualClass![row]], labels[main.predicted![row]]];
      if (probabilities) for (let c = 0; c < k; c++) cells.push(String(probabilities[row * k + c]));
      lines.push(cells.join(','));
    } else {
      lines.push(`${scored.actualValue![row]},${main.values![row]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
