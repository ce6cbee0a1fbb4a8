import { applyBinEdges, fitBinEdges } from '../../../src/core/train/trees/binning.js';
import { logisticGradients } from '../../../src/core/train/trees/boosting-losses.js';
import { HistogramTreeGrower, type RowCountSource } from '../../../src/core/train/trees/histogram-tree.js';
import { syntheticData } from './synthetic.js';

/** Grows one regression tree on residuals of the mean; `parallelNodeRows` set low makes even small nodes use the helper. */
async function growTree(shared: boolean, rowCounts: RowCountSource = 'histogram') {
  const data = syntheticData('regression', 3000, 21);
  const edges = fitBinEdges(data.x, 255, 1);
  const grower = new HistogramTreeGrower(applyBinEdges(data.x, edges), edges, 1, rowCounts, shared, 64);
  await grower.startHelper();
  try {
    const [gradHess] = grower.gradientBuffers();
    const mean = data.y.reduce((sum, value) => sum + value, 0) / data.y.length;
    data.y.forEach((value, row) => {
      gradHess[2 * row] = mean - value;
      gradHess[2 * row + 1] = 1;
    });
    grower.rows.forEach((_, i) => (grower.rows[i] = i));
    const options = {
      maxDepth: 6,
      maxLeafNodes: Infinity,
      minSamplesLeaf: 5,
      l2Regularization: 0,
      learningRate: 1,
      features: Int32Array.from({ length: data.x.cols }, (_, i) => i),
    };
    const { tree } = grower.grow(data.x.rows, gradHess, options);
    return Object.assign(tree, { rowOrder: Array.from(grower.rows) });
  } finally {
    await grower.close();
  }
}

describe('histogram helper thread', () => {
  test.each(['histogram', 'hessian'] as const)(
    'a tree grown with the helper thread matches the single-thread tree (row counts from the %s)',
    async (rowCounts) => {
      const single = await growTree(false, rowCounts);
      const helped = await growTree(true, rowCounts);
      expect(Array.from(helped.feature)).toEqual(Array.from(single.feature));
      expect(Array.from(helped.thresholdBin)).toEqual(Array.from(single.thresholdBin));
      helped.values.forEach((value, node) => expect(value).toBeCloseTo(single.values[node], 4));
      // Partitions split between the threads leave the rows in the single-thread order.
      expect(helped.rowOrder).toEqual(single.rowOrder);
    },
  );

  test('row counts from unit hessians give the same tree as counted rows', async () => {
    const counted = await growTree(false, 'histogram');
    const fromHessians = await growTree(false, 'hessian');
    expect(Array.from(fromHessians.feature)).toEqual(Array.from(counted.feature));
    expect(Array.from(fromHessians.values)).toEqual(Array.from(counted.values));
  });

  test('the helper thread gives the same tree on every run', async () => {
    const first = await growTree(true);
    const second = await growTree(true);
    expect(Array.from(second.values)).toEqual(Array.from(first.values));
  });

  test('logistic gradients split with the helper thread are the single-thread ones, bit for bit', async () => {
    const data = syntheticData('binary', 3001, 22);
    const edges = fitBinEdges(data.x, 255, 1);
    const binned = applyBinEdges(data.x, edges);
    const gradients = async (shared: boolean) => {
      const grower = new HistogramTreeGrower(binned, edges, 1, 'unneeded', shared, 64);
      await grower.startHelper();
      try {
        grower.scores.forEach((_, row) => (grower.scores[row] = Math.sin(row) * 3));
        grower.targets.set(data.y);
        grower.logisticGradients();
        return Array.from(grower.gradientBuffers()[0]);
      } finally {
        await grower.close();
      }
    };
    const helped = await gradients(true);
    expect(helped).toEqual(await gradients(false));
    // The kernel's e^x is within a few ulps of Math.exp's.
    const expected = new Float64Array(2 * data.x.rows);
    const scores = Float64Array.from({ length: data.x.rows }, (_, row) => Math.sin(row) * 3);
    logisticGradients(scores, data.y, expected, 0, data.x.rows);
    helped.forEach((value, i) => expect(Math.abs(value - expected[i])).toBeLessThan(1e-15));
  });

  test('a late wake-up of the helper thread does not run its last job again', async () => {
    const data = syntheticData('binary', 2000, 23);
    const edges = fitBinEdges(data.x, 255, 1);
    const grower = new HistogramTreeGrower(applyBinEdges(data.x, edges), edges, 1, 'unneeded', true);
    await grower.startHelper();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      grower.targets.set(data.y);
      grower.logisticGradients();
      const gradients = grower.gradientBuffers()[0];
      const before = Array.from(gradients);
      // Scores change, then the helper (asleep by now) gets the notify of a job it already ran,
      // as when the main thread is descheduled between publishing a job and notifying.
      grower.scores.fill(5);
      await sleep(50);
      const control = (grower as unknown as { helper: { control: Int32Array } }).helper.control;
      Atomics.notify(control, 0);
      await sleep(50);
      expect(Array.from(gradients)).toEqual(before);
    } finally {
      await grower.close();
    }
  });
});
