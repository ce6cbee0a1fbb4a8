import type { DesignMatrix } from '../model-types.js';

/**
 * The design matrix column by column (one contiguous block per column), for fused per-column
 * passes. Float32: the pipeline's values are float32 already (the model's inputs are), so this
 * halves the memory each pass reads without changing a value.
 */
export function toColumnMajor(matrix: DesignMatrix): Float32Array[] {
  const { rows, cols, values } = matrix;
  const storage = new Float32Array(rows * cols);
  const columns = Array.from({ length: cols }, (_, col) => storage.subarray(col * rows, (col + 1) * rows));
  for (let row = 0; row < rows; row++) {
    const base = row * cols;
    for (let col = 0; col < cols; col++) columns[col][row] = values[base + col];
  }
  return columns;
}

/** Linear scores b + X·w for every row, rows of `matrix` row-major. */
export function linearScores(
  matrix: DesignMatrix,
  weights: ArrayLike<number>,
  intercept: number,
): Float64Array {
  const { rows, cols, values } = matrix;
  const scores = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let sum = intercept;
    const base = row * cols;
    for (let col = 0; col < cols; col++) sum += values[base + col] * weights[col];
    scores[row] = sum;
  }
  return scores;
}
