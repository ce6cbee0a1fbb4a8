import { HISTOGRAM_KERNELS_WASM } from './histogram-kernels-wasm.js';

/** The three histogram passes share one signature (16- or 32-bit bin positions, some or all columns). */
type HistogramPass = (
  first: number,
  end: number,
  index: number,
  rowBytes: number,
  columns: number,
  columnsEnd: number,
  gradHess: number,
  hist: number,
  histBytes: number,
  counted: number,
) => void;

/**
 * The exports of histogram-kernels.wat; every pointer is a byte address in the kernels' memory
 * (see the .wat for what each argument means).
 */
export interface HistogramKernels {
  histogram16: HistogramPass;
  histogramAll16: HistogramPass;
  histogram32: HistogramPass;
  partition(first: number, end: number, scratch: number, bins: number, splitBin: number): number;
  copy(target: number, source: number, bytes: number): void;
  logisticGradients(scores: number, scoresEnd: number, targets: number, gradHess: number): void;
  markLeaf(first: number, end: number, leafOf: number, leaf: number): void;
  addLeafValues(leafOf: number, leafOfEnd: number, values: number, scores: number, stride: number): void;
  addLeafValuesLogistic(
    leafOf: number,
    leafOfEnd: number,
    values: number,
    scores: number,
    targets: number,
    gradHess: number,
  ): void;
}

/** The kernels a helper thread can be asked to run, by number. */
export const KERNEL_NAMES = [
  'histogram16',
  'histogramAll16',
  'histogram32',
  'partition',
  'copy',
  'logisticGradients',
  'markLeaf',
  'addLeafValues',
  'addLeafValuesLogistic',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

const PAGE_BYTES = 65_536;
/** The .wat's declared maximum: 4 GiB, all that 32-bit addresses reach. */
const MAX_PAGES = 65_536;
const ALIGNMENT = 16;

let compiled: WebAssembly.Module | undefined;

/** The compiled kernels, compiled once (a Module can be posted to a worker thread). */
export function histogramKernelsModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(HISTOGRAM_KERNELS_WASM, 'base64'));
  return compiled;
}

export function instantiateHistogramKernels(memory: WebAssembly.Memory): HistogramKernels {
  const instance = new WebAssembly.Instance(histogramKernelsModule(), { env: { memory } });
  return instance.exports as unknown as HistogramKernels;
}

/**
 * A shared memory for the kernels holding regions of the given byte sizes one after another
 * (each 16-byte aligned), and the regions' byte addresses. Shared, so that a helper thread can
 * work on the same rows; it never grows, so typed-array views of it stay valid.
 */
export function kernelMemory(regionBytes: number[]): { memory: WebAssembly.Memory; addresses: number[] } {
  const addresses: number[] = [];
  let end = 0;
  for (const bytes of regionBytes) {
    addresses.push(end);
    end += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
  }
  const pages = Math.max(1, Math.ceil(end / PAGE_BYTES));
  if (pages > MAX_PAGES)
    throw new RangeError(
      `gradient boosting needs ${(end / 2 ** 30).toFixed(1)} GiB of working memory for these rows and ` +
        'columns; its histogram kernels address at most 4 GiB (train on fewer rows)',
    );
  return { memory: new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }), addresses };
}
