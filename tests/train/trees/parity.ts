import type { FittedEstimator, Task } from '../../../src/core/train/model-types.js';
import { buildTestModel, runTestModel, TEST_GRAPH_NAMES } from './onnx-harness.js';
import type { Dataset } from './synthetic.js';

/** Largest |TS − onnxruntime| seen by the parity tests (reported by the bench and the test log). */
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
  result.scores.forEach((value, i) => (maxError = Math.max(maxError, Math.abs(value - expected[i]))));
  expect(maxError).toBeLessThan(1e-5);
  if (kind !== 'regression') {
    const k = expected.length / data.x.rows;
    const labels = Array.from({ length: data.x.rows }, (_, row) => {
      const p = Array.from(expected.subarray(row * k, (row + 1) * k));
      return p.indexOf(Math.max(...p));
    });
    expect(result.label).toEqual(labels);
  }
  return maxError;
}
