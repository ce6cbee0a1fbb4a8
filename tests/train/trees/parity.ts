import type { FittedEstimator, Task } from '../../../src/core/train/model-types.js';
import { buildTestModel, runTestModel, TEST_GRAPH_NAMES } from './onnx-harness.js';
import type { Dataset } from './synthetic.js';

/** Probabilities agree within this; regression values within this relative to their size (float32 output). */
const TOLERANCE = 1e-5;

/**
 * Runs the estimator's nodes in onnxruntime and checks them against predict(): probabilities
 * within 1e-5 (values within 1e-5 relative), and the label is the most probable class wherever
 * the top two probabilities are not tied within that tolerance. Returns the largest difference.
 */
export async function expectOnnxParity(
  model: FittedEstimator,
  data: Dataset,
  kind: Task['kind'],
): Promise<number> {
  const outputs = kind === 'regression' ? ['scores'] : ['label', 'scores'];
  const onnx = buildTestModel(model.toOnnxNodes(TEST_GRAPH_NAMES), data.x.cols, outputs);
  const result = await runTestModel(onnx, data.x, outputs);
  const expected = model.predict(data.x);
  expect(result.scores).toHaveLength(expected.length);
  let maxError = 0;
  result.scores.forEach((value, i) => {
    const scale = kind === 'regression' ? Math.max(1, Math.abs(expected[i])) : 1;
    maxError = Math.max(maxError, Math.abs(value - expected[i]) / scale);
  });
  expect(maxError).toBeLessThan(TOLERANCE);
  if (kind !== 'regression') {
    const k = expected.length / data.x.rows;
    for (let row = 0; row < data.x.rows; row++) {
      const p = Array.from(expected.subarray(row * k, (row + 1) * k));
      const best = p.indexOf(Math.max(...p));
      const runnerUp = Math.max(...p.filter((_, c) => c !== best));
      if (p[best] - runnerUp > TOLERANCE) expect([row, result.label[row]]).toEqual([row, best]);
    }
  }
  return maxError;
}
