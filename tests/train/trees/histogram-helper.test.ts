import { applyBinEdges, fitBinEdges } from '../../../src/core/train/trees/binning.js';
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
});
