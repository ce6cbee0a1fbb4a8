import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../../src/core/onnx/builder.js';
import type { DesignMatrix, OnnxNodeSpec } from '../../../src/core/train/model-types.js';

/** The graph names the estimator nodes read and write in these tests. */
export const TEST_GRAPH_NAMES = { input: 'X', label: 'label', scores: 'scores' };

/**
 * The estimator's nodes alone in a model (the pipeline's encoder, without its preprocessing): one
 * float input [N, cols] and the requested outputs.
 */
export function buildTestModel(nodes: OnnxNodeSpec[], cols: number, outputs: string[]): Uint8Array {
  return encodeModel({
    graphName: 'trees',
    inputs: [{ name: TEST_GRAPH_NAMES.input, type: 'float', shape: ['N', cols] }],
    outputs: outputs.map((name) =>
      name === TEST_GRAPH_NAMES.label
        ? { name, type: 'int64', shape: ['N'] }
        : { name, type: 'float', shape: ['N', 'K'] },
    ),
    nodes,
    initializers: [],
    metadata: [],
    producerVersion: 'test',
  });
}

/** Runs the model in onnxruntime-node on the design matrix; returns the requested outputs as numbers. */
export async function runTestModel(
  model: Uint8Array,
  x: DesignMatrix,
  outputs: string[],
): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(model);
  const input = new ort.Tensor('float32', Float32Array.from(x.values), [x.rows, x.cols]);
  const result = await session.run({ [TEST_GRAPH_NAMES.input]: input }, outputs);
  return Object.fromEntries(
    outputs.map((name) => [name, Array.from(result[name].data as ArrayLike<number>, Number)]),
  );
}
