import { splitRows } from '../../src/core/train/split.js';
import { curveChart } from '../../src/core/report/training-report.js';

describe('seeded train/validation split', () => {
  const classes = Float64Array.from({ length: 1000 }, (_, row) => (row % 10 < 3 ? 1 : 0));

  test('stratified: each class keeps its share on both sides; the same seed gives the same split', () => {
    const split = splitRows(classes.length, 0.2, 42, classes);
    expect(split.method).toBe('stratified');
    expect(split.validation.length).toBe(200);
    expect(Array.from(split.validation).filter((position) => classes[position] === 1)).toHaveLength(60);
    expect(new Set([...split.train, ...split.validation]).size).toBe(1000);
    expect(Array.from(splitRows(classes.length, 0.2, 42, classes).validation)).toEqual(
      Array.from(split.validation),
    );
    expect(Array.from(splitRows(classes.length, 0.2, 43, classes).validation)).not.toEqual(
      Array.from(split.validation),
    );
  });

  test('a class with one row stays in training; a fraction of 0 keeps every row for training', () => {
    const rare = Float64Array.from([0, 0, 0, 0, 1]);
    expect(Array.from(splitRows(5, 0.5, 1, rare).train)).toContain(4);
    const all = splitRows(10, 0, 1);
    expect(all.method).toBe('random');
    expect(all.train).toHaveLength(10);
    expect(all.validation).toHaveLength(0);
  });
});

describe('training curve chart', () => {
  test('plots validation loss when every point has it, sampled to at most 60 points with the last kept', () => {
    const curve = Array.from({ length: 300 }, (_, at) => ({
      iteration: at + 1,
      trainLoss: 1 / (at + 1),
      validationLoss: 2 / (at + 1),
    }));
    const chart = curveChart(curve)!;
    expect(chart).toContain('title "Validation loss per iteration"');
    const xs = /x-axis "iteration" \[(.*)\]/.exec(chart)![1].split(', ').map(Number);
    expect(xs.length).toBe(60);
    expect(xs[0]).toBe(1);
    expect(xs.at(-1)).toBe(300);
    const ys = /line \[(.*)\]/.exec(chart)![1].split(', ').map(Number);
    expect(ys[0]).toBe(2);
  });

  test('no chart for a curve of fewer than two points', () => {
    expect(curveChart([{ iteration: 1, trainLoss: 0.5 }])).toBeUndefined();
  });
});
