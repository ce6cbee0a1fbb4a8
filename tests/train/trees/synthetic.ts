import type { DesignMatrix, Task, TargetVector } from '../../../src/core/train/model-types.js';
import { SeededRandom } from '../../../src/core/random.js';

export interface Dataset {
  x: DesignMatrix;
  y: TargetVector;
  task: Task;
}

/**
 * Seeded rows with the shapes trees meet in practice: continuous features (one with many ties,
 * one with values that differ only past float32 precision), a one-hot pair, and a target that
 * depends on them nonlinearly with noise.
 */
export function syntheticData(kind: Task['kind'], rows: number, seed: number, classCount = 3): Dataset {
  const random = new SeededRandom(seed);
  const cols = 6;
  const values = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const a = random.next() * 4 - 2;
    const b = Math.round(random.next() * 10) / 2;
    const c = 1000 + random.next() * 1e-4;
    const d = random.next() * 100;
    const oneHot = random.next() < 0.3 ? 1 : 0;
    values.set([a, b, c, d, oneHot, 1 - oneHot], row * cols);
    const signal =
      Math.sin(2 * a) + 0.3 * b - 0.02 * d + oneHot * 1.5 + (c - 1000) * 5e3 + random.next() - 0.5;
    if (kind === 'regression') y[row] = 10 * signal;
    else if (kind === 'binary') y[row] = signal > 0.6 ? 1 : 0;
    else y[row] = Math.min(classCount - 1, Math.max(0, Math.floor((signal + 1) * 1.2)));
  }
  const task: Task =
    kind === 'regression' ? { kind } : kind === 'binary' ? { kind, classCount: 2 } : { kind, classCount };
  return { x: { rows, cols, values, columnNames: ['a', 'b', 'c', 'd', 'hot', 'cold'] }, y, task };
}
