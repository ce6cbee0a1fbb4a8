import { applyBinEdges, fitBinEdges, Float32Sorter } from '../../../src/core/train/trees/binning.js';

/** The definition: the first threshold that the float32-rounded value does not exceed; NaN goes last. */
function referenceBin(thresholds: Float32Array, value: number): number {
  const rounded = Math.fround(value);
  if (Number.isNaN(rounded)) return thresholds.length;
  const bin = thresholds.findIndex((threshold) => rounded <= threshold);
  return bin < 0 ? thresholds.length : bin;
}

describe('applyBinEdges', () => {
  test('puts every value in the bin of the first threshold it does not exceed, edge values included', () => {
    const tiny = 1.401298464324817e-45;
    const thresholds = [
      Float32Array.of(-Infinity, -1e30, -2.5, -tiny, 0, tiny, 1e-38, 0.1, 0.10000001, 1, 1.0000001, 3e38),
      Float32Array.of(0.5),
      Float32Array.of(),
    ];
    const special = [
      NaN,
      -Infinity,
      Infinity,
      -0,
      0,
      tiny,
      -tiny,
      1e-46,
      -1e-46,
      0.1,
      0.10000000001,
      1,
      3.4e38,
      -3.4e38,
    ];
    const pseudoRandom = Array.from({ length: 3000 }, (_, i) => Math.sin(i * 7.3) * 10 ** ((i % 21) - 10));
    const sample = [...special, ...thresholds[0], ...pseudoRandom];
    const cols = thresholds.length;
    const values = new Float64Array(sample.length * cols);
    sample.forEach((value, row) => values.fill(value, row * cols, (row + 1) * cols));
    const binned = applyBinEdges(
      { rows: sample.length, cols, values, columnNames: ['a', 'b', 'c'] },
      { thresholds },
    );
    sample.forEach((value, row) =>
      thresholds.forEach((edges, feature) =>
        expect([value, feature, binned.bins[row * cols + feature]]).toEqual([
          value,
          feature,
          referenceBin(edges, value),
        ]),
      ),
    );
  });

  test('bins fitted edges of many distinct values the same as the definition', () => {
    const rows = 5000;
    const values = Float64Array.from({ length: rows * 2 }, (_, i) =>
      i % 2 ? Math.round(Math.cos(i) * 3) : Math.tan(i),
    );
    const x = { rows, cols: 2, values, columnNames: ['wide', 'narrow'] };
    const edges = fitBinEdges(x, 255, 7);
    const binned = applyBinEdges(x, edges);
    for (let at = 0; at < values.length; at++)
      expect(binned.bins[at]).toBe(referenceBin(edges.thresholds[at % 2], values[at]));
  });
});

describe('Float32Sorter', () => {
  test('sorts values rounded to float32 exactly as the built-in sort does (-0 before +0, NaN last)', () => {
    const values = Float64Array.from(
      [
        NaN,
        0,
        -0,
        Infinity,
        -Infinity,
        1e-46,
        -1e-46,
        3.4e38,
        -3.4e38,
        0.1,
        0.1,
        1,
        -1,
        ...Array(2000).keys(),
      ],
      (value, i) => (i > 12 ? Math.tan(value) * 10 ** ((i % 9) - 4) : value),
    );
    const expected = values.map(Math.fround).sort();
    new Float32Sorter(values.length).sortRounded(values);
    // toEqual tells -0 from +0 and takes NaN as equal to NaN.
    expect(Array.from(values)).toEqual(Array.from(expected));
  });
});
