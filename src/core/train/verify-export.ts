import * as ort from 'onnxruntime-node';
import type { LoadedTable } from './load-columns.js';
import type { FeatureColumn } from './columns.js';
import type { Task } from './model-types.js';
import { OUTPUT_NAMES } from '../onnx/export-model.js';

/** Raw feature columns of the given rows as the model's inputs: float32 [n,1] or string [n,1]. */
export function featureFeeds(
  table: LoadedTable,
  features: FeatureColumn[],
  rows: Int32Array,
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  features.forEach((feature, index) => {
    const column = table.features[index];
    if (column.kind === 'numeric') {
      feeds[feature.name] = new ort.Tensor(
        'float32',
        Float32Array.from(rows, (row) => column.values[row]),
        [rows.length, 1],
      );
    } else {
      const texts = Array.from(rows, (row) => column.dictionary[column.codes[row]]);
      feeds[feature.name] = new ort.Tensor('string', texts, [rows.length, 1]);
    }
  });
  return feeds;
}

/** Runs the exported bytes in onnxruntime-node and returns the output the estimator's predict() mirrors. */
export async function runExportedModel(model: Uint8Array, feeds: Record<string, ort.Tensor>, task: Task) {
  const session = await ort.InferenceSession.create(model);
  try {
    const outputs = await session.run(feeds);
    const scores = outputs[task.kind === 'regression' ? OUTPUT_NAMES.value : OUTPUT_NAMES.probabilities];
    const label = task.kind === 'regression' ? undefined : outputs[OUTPUT_NAMES.label];
    return {
      scores: Float64Array.from(scores.data as Float32Array),
      label: label?.data as ArrayLike<unknown> | undefined,
    };
  } finally {
    await session.release();
  }
}

/** Largest disagreement between predict() and the exported model; regressors compare relative to the value's size. */
export function maxDifference(expected: Float64Array, actual: Float64Array, task: Task): number {
  if (expected.length !== actual.length) return Infinity;
  let max = 0;
  for (let index = 0; index < expected.length; index++) {
    const difference = Math.abs(expected[index] - actual[index]);
    const scaled =
      task.kind === 'regression' ? difference / Math.max(1, Math.abs(expected[index])) : difference;
    if (!(scaled <= max)) max = Number.isNaN(scaled) ? Infinity : scaled;
  }
  return max;
}
