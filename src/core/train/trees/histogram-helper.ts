import { Worker } from 'node:worker_threads';

/**
 * Control slots: job generation (-1 stops the thread), generation of the last finished job, the
 * job's row range, feature count and where its gradient pairs start in the shared gradient buffer.
 */
const GENERATION = 0;
const FINISHED = 1;
const START = 2;
const END = 3;
const FEATURE_COUNT = 4;
const GRADIENT_OFFSET = 5;

/**
 * The helper thread's loop. It runs from its source text (eval), so it stays self-contained: the
 * same histogram pass as HistogramTreeGrower's over the rows the main thread hands over.
 */
function helperLoop(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { workerData } = require('node:worker_threads');
  const control = new Int32Array(workerData.control);
  const bins = new Uint8Array(workerData.bins);
  const rows = new Uint32Array(workerData.rows);
  const gradHess = new Float64Array(workerData.gradHess);
  const features = new Int32Array(workerData.features);
  const hist = new Float64Array(workerData.hist);
  const offsets = Int32Array.from(workerData.offsets as number[]);
  const cols: number = workerData.cols;
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    if (seen < 0) return;
    const start = control[2];
    const end = control[3];
    const featureCount = control[4];
    const gradientOffset = control[5];
    hist.fill(0);
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const gradient = gradHess[gradientOffset + 2 * row];
      const hessian = gradHess[gradientOffset + 2 * row + 1];
      const base = row * cols;
      for (let j = 0; j < featureCount; j++) {
        const feature = features[j];
        const at = offsets[feature] + bins[base + feature] * 3;
        hist[at] += gradient;
        hist[at + 1] += hessian;
        hist[at + 2] += 1;
      }
    }
    Atomics.store(control, 1, seen);
    Atomics.notify(control, 1);
  }
}

/** Shared memory both threads read: the binned rows, the node row order and the gradient pairs. */
export interface SharedGrowerMemory {
  bins: Uint8Array;
  cols: number;
  rows: Uint32Array;
  /** Every output's gradient pairs, one after another. */
  gradHess: Float64Array;
  /** Start of each feature's bins in a histogram, times 3. */
  offsets: Int32Array;
  histLength: number;
}

/**
 * A second thread for histogram passes: the main thread hands it part of a node's rows, builds
 * the rest itself, then adds the helper's histogram. Which rows each thread takes depends only on
 * the node, so the sums (and the model bytes) do not depend on timing.
 */
export class HistogramHelper {
  private generation = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly control: Int32Array,
    private readonly features: Int32Array,
    private readonly hist: Float64Array,
  ) {}

  static async start(memory: SharedGrowerMemory): Promise<HistogramHelper> {
    const control = new Int32Array(new SharedArrayBuffer(8 * 4));
    const features = new Int32Array(new SharedArrayBuffer(memory.offsets.length * 4));
    const hist = new Float64Array(new SharedArrayBuffer(memory.histLength * 8));
    const worker = new Worker(`(${helperLoop.toString()})()`, {
      eval: true,
      workerData: {
        control: control.buffer,
        bins: memory.bins.buffer,
        rows: memory.rows.buffer,
        gradHess: memory.gradHess.buffer,
        features: features.buffer,
        hist: hist.buffer,
        offsets: Array.from(memory.offsets),
        cols: memory.cols,
      },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    // An idle helper must not keep the process alive if a caller forgets close().
    worker.unref();
    return new HistogramHelper(worker, control, features, hist);
  }

  /** Starts the pass over rows[start, end) on the given features; gradient pairs from gradientOffset on. */
  begin(start: number, end: number, features: Int32Array, gradientOffset: number): void {
    this.features.set(features);
    this.control[START] = start;
    this.control[END] = end;
    this.control[FEATURE_COUNT] = features.length;
    this.control[GRADIENT_OFFSET] = gradientOffset;
    this.generation++;
    Atomics.store(this.control, GENERATION, this.generation);
    Atomics.notify(this.control, GENERATION);
  }

  /** Waits for the pass; its histogram (valid until the next begin). */
  finish(): Float64Array {
    while (Atomics.load(this.control, FINISHED) !== this.generation)
      Atomics.wait(this.control, FINISHED, Atomics.load(this.control, FINISHED));
    return this.hist;
  }

  async close(): Promise<void> {
    Atomics.store(this.control, GENERATION, -1);
    Atomics.notify(this.control, GENERATION);
    await this.worker.terminate();
  }
}
