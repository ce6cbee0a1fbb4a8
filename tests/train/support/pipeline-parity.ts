import * as ort from 'onnxruntime-node';
import { trainBuiltIn, type TrainOptions, type TrainedModel } from '../../../src/core/train/pipeline.js';
import { buildDesignMatrix } from '../../../src/core/train/preprocess.js';
import { featureFeeds } from '../../../src/core/train/verify-export.js';

/** Every loaded row (with or without a target), in file order. */
function allRows(trained: TrainedModel): Int32Array {
  return Int32Array.from({ length: trained.details.table.rows }, (_, row) => row);
}

/**
 * Trains through the whole pipeline, runs onnxruntime-node on the exported bytes with the raw
 * columns of every row, and checks them against predict() on the TypeScript design matrix:
 * probabilities within 1e-5 (regression values within 1e-5 relative), labels equal to the
 * most probable class. Trains a second time and checks the bytes are identical.
 */
export async function expectPipelineParity(
  options: TrainOptions,
): Promise<TrainedModel & { maxDifference: number }> {
  const trained = await trainBuiltIn(options);
  const { table, features, plan, fitted, target } = trained.details;
  const rows = allRows(trained);
  const expected = fitted.predict(buildDesignMatrix(table, features, plan, rows));
  const session = await ort.InferenceSession.create(trained.model);
  const outputs = await session.run(featureFeeds(table, features, rows));
  await session.release();
  const task = target.task;
  let maxDifference = 0;
  if (task.kind === 'regression') {
    const values = outputs.variable.data as Float32Array;
    expect(outputs.variable.dims).toEqual([rows.length, 1]);
    values.forEach((value, row) => {
      const difference = Math.abs(value - expected[row]) / Math.max(1, Math.abs(expected[row]));
      maxDifference = Math.max(maxDifference, difference);
    });
  } else {
    const k = task.classCount;
    const probabilities = outputs.probabilities.data as Float32Array;
    expect(outputs.probabilities.dims).toEqual([rows.length, k]);
    probabilities.forEach(
      (value, at) => (maxDifference = Math.max(maxDifference, Math.abs(value - expected[at]))),
    );
    const labels = Array.from(outputs.label.data as ArrayLike<unknown>, (value) =>
      typeof value === 'bigint' ? Number(value) : value,
    );
    const classes = target.classes!;
    const expectedLabels = Array.from(rows, (_, row) => {
      const p = Array.from(expected.subarray(row * k, (row + 1) * k));
      return classes[p.indexOf(Math.max(...p))];
    });
    // Near-ties can flip in float32; every disagreement must be one.
    labels.forEach((label, row) => {
      if (label !== expectedLabels[row]) {
        const p = Array.from(expected.subarray(row * k, (row + 1) * k)).sort((a, b) => b - a);
        expect(p[0] - p[1]).toBeLessThan(1e-5);
      }
    });
  }
  expect(maxDifference).toBeLessThan(1e-5);
  const again = await trainBuiltIn(options);
  expect(Buffer.from(again.model).equals(Buffer.from(trained.model))).toBe(true);
  return { ...trained, maxDifference };
}
