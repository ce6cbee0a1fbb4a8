import type { Curves } from '../evaluate/curves.js';

/** Points of a chart on the unit square, as both report formats draw them. */
export interface ChartData {
  title: string;
  xLabel: string;
  yLabel: string;
  /** The model's curve and a reference line (chance or perfect calibration). */
  curve: { x: number; y: number }[];
  reference: { x: number; y: number }[];
}

/** 21 evenly spaced x values: Mermaid's xychart places line values at evenly spaced x positions. */
export const GRID = Array.from({ length: 21 }, (_, i) => i / 20);

/** ROC as a step function: the best TPR reached at FPR ≤ x. */
function rocAt(points: { fpr: number; tpr: number }[], x: number): number {
  return points.reduce((best, point) => (point.fpr <= x + 1e-12 ? Math.max(best, point.tpr) : best), 0);
}

/** Interpolated precision: the best precision reached at recall ≥ x. */
function precisionAt(points: { recall: number; precision: number }[], x: number): number {
  return points.reduce(
    (best, point) => (point.recall >= x - 1e-12 ? Math.max(best, point.precision) : best),
    0,
  );
}

export function evaluationCharts(curves: Curves | undefined): ChartData[] {
  if (!curves) return [];
  const charts: ChartData[] = [];
  if (curves.roc?.length) {
    charts.push({
      title: 'ROC curve',
      xLabel: 'False positive rate',
      yLabel: 'True positive rate',
      curve: GRID.map((x) => ({ x, y: rocAt(curves.roc!, x) })),
      reference: [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
    });
  }
  if (curves.pr?.length) {
    const base = curves.pr[curves.pr.length - 1].precision;
    charts.push({
      title: 'Precision-recall curve',
      xLabel: 'Recall',
      yLabel: 'Precision',
      curve: GRID.map((x) => ({ x, y: precisionAt(curves.pr!, x) })),
      reference: [
        { x: 0, y: base },
        { x: 1, y: base },
      ],
    });
  }
  const bins = curves.calibration?.filter((bin) => bin.count > 0 && bin.meanConfidence !== null) ?? [];
  if (bins.length) {
    charts.push({
      title: 'Calibration (predicted label)',
      xLabel: 'Mean predicted probability',
      yLabel: 'Observed accuracy',
      curve: bins.map((bin) => ({ x: bin.meanConfidence!, y: bin.accuracy! })),
      reference: [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
    });
  }
  return charts;
}
