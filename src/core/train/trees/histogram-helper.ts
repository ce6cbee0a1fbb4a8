import { Worker } from 'node:worker_threads';

/**
 * Control slots: job generation (-1 stops the thread), generation of the last finished job, the
 * job's row range, column count and where its gradient pairs start in the shared gradient buffer.
 */
const GENERATION = 0;
const FINISHED = 1;
const START = 2;
const END = 3;
const COLUMN_COUNT = 4;
const GRADIENT_OFFSET = 5;

/**
 * The helper thread's loop, as source text: bundlers and test transforms rewrite functions (their
 * `require`, their helpers), so the thread's code must not be one. It is the same histogram pass
 * as HistogramTreeGrower's; a failure is reported through FINISHED = -1 so the main thread never
 * waits forever.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
const index = workerData.indexBytes === 2 ? new Uint16Array(workerData.index) : new Uint32Array(workerData.index);
const rows = new Uint32Array(workerData.rows);
const gradHess = new Float64Array(workerData.gradHess);
const columns = new Int32Array(workerData.columns);
const hist = new Float64Array(workerData.hist);
const cols = workerData.cols;
const countRows = workerData.slots === 3;
let seen = 0;
try {
  for (;;) {
    Atomics.wait(control, ${GENERATION}, seen);
    seen = Atomics.load(control, ${GENERATION});
    if (seen < 0) break;
    const start = control[${START}];
    const end = control[${END}];
    const columnCount = control[${COLUMN_COUNT}];
    const gradientOffset = control[${GRADIENT_OFFSET}];
    hist.fill(0);
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const gradient = gradHess[gradientOffset + 2 * row];
      const hessian = gradHess[gradientOffset + 2 * row + 1];
      const base = row * cols;
      for (let j = 0; j < columnCount; j++) {
        const at = index[base + columns[j]];
        hist[at] += gradient;
        hist[at + 1] += hessian;
        if (countRows) hist[at + 2] += 1;
      }
    }
    Atomics.store(control, ${FINISHED}, seen);
    Atomics.notify(control, ${FINISHED});
  }
} catch (error) {
  Atomics.store(control, ${FINISHED}, -1);
  Atomics.notify(control, ${FINISHED});
  throw error;
}
`;

/** Shared memory both threads read: the rows' histogram positions, the node row order and the gradient pairs. */
export interface SharedGrowerMemory {
  /** Per row and storage column, the histogram position of its bin. */
  histIndex: Uint16Array | Uint32Array;
  cols: number;
  rows: Uint32Array;
  /** Every output's gradient pairs, one after another. */
  gradHess: Float64Array;
  histLength: number;
  /** Numbers per histogram bin: 3 with a row count, 2 without. */
  slots: number;
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
    private readonly columns: Int32Array,
    private readonly hist: Float64Array,
  ) {}

  static async start(memory: SharedGrowerMemory): Promise<HistogramHelper> {
    const control = new Int32Array(new SharedArrayBuffer(8 * 4));
    const columns = new Int32Array(new SharedArrayBuffer(memory.cols * 4));
    const hist = new Float64Array(new SharedArrayBuffer(memory.histLength * 8));
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: {
        control: control.buffer,
        index: memory.histIndex.buffer,
        indexBytes: memory.histIndex.BYTES_PER_ELEMENT,
        rows: memory.rows.buffer,
        gradHess: memory.gradHess.buffer,
        columns: columns.buffer,
        hist: hist.buffer,
        cols: memory.cols,
        slots: memory.slots,
      },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    // An idle helper must not keep the process alive if a caller forgets close().
    worker.unref();
    return new HistogramHelper(worker, control, columns, hist);
  }

  /** Starts the pass over rows[start, end) on the given storage columns; gradient pairs from gradientOffset on. */
  begin(start: number, end: number, columns: Int32Array, gradientOffset: number): void {
    this.columns.set(columns);
    this.control[START] = start;
    this.control[END] = end;
    this.control[COLUMN_COUNT] = columns.length;
    this.control[GRADIENT_OFFSET] = gradientOffset;
    this.generation++;
    Atomics.store(this.control, GENERATION, this.generation);
    Atomics.notify(this.control, GENERATION);
  }

  /** Waits for the pass; its histogram (valid until the next begin). */
  finish(): Float64Array {
    for (;;) {
      const finished = Atomics.load(this.control, FINISHED);
      if (finished === this.generation) return this.hist;
      if (finished < 0) throw new Error('the histogram helper thread failed');
      Atomics.wait(this.control, FINISHED, finished);
    }
  }

  async close(): Promise<void> {
    Atomics.store(this.control, GENERATION, -1);
    Atomics.notify(this.control, GENERATION);
    await this.worker.terminate();
  }
}
