import { Worker } from 'node:worker_threads';

/**
 * Control slots: job generation (-1 stops the thread), generation of the last finished job, the
 * job kind, its row range, and per kind: column count and where its gradient pairs start in the
 * shared gradient buffer (histogram); feature and split bin (partition), and the partition's
 * first right position (its result). A gradient job needs only its row range.
 */
const GENERATION = 0;
const FINISHED = 1;
const KIND = 2;
const START = 3;
const END = 4;
const COLUMN_COUNT = 5;
const GRADIENT_OFFSET = 6;
const FEATURE = 5;
const SPLIT_BIN = 6;
const RESULT = 7;
/**
 * Loads of a control slot either thread makes before sleeping on it: jobs come every few tens of
 * microseconds while a tree grows, and waking a sleeping thread costs about as much.
 */
const SPIN_LOADS = 20_000;
const HISTOGRAM_JOB = 0;
const PARTITION_JOB = 1;
const LOGISTIC_GRADIENT_JOB = 2;

/**
 * The helper thread's loop, as source text: bundlers and test transforms rewrite functions (their
 * `require`, their helpers), so the thread's code must not be one. Its histogram pass and
 * partition are HistogramTreeGrower's; a failure is reported through FINISHED = -1 so the main
 * thread never waits forever. Its logistic gradients are boosting-losses' logisticGradients
 * (the same arithmetic, so either thread writes the same bits).
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
const index = workerData.indexBytes === 2 ? new Uint16Array(workerData.index) : new Uint32Array(workerData.index);
const rows = new Uint32Array(workerData.rows);
const scratch = new Uint32Array(workerData.scratch);
const binColumns = new Uint8Array(workerData.binColumns);
const gradHess = new Float64Array(workerData.gradHess);
const columns = new Int32Array(workerData.columns);
const hist = new Float64Array(workerData.hist);
const scores = new Float64Array(workerData.scores);
const targets = new Float64Array(workerData.targets);
const cols = workerData.cols;
const rowTotal = rows.length;
const countRows = workerData.slots === 3;
function buildHistogram(start, end, columnCount, gradientOffset) {
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
}
function partition(start, end, feature, splitBin) {
  const binsAt = feature * rowTotal;
  let left = start;
  let right = start;
  for (let i = start; i < end; i++) {
    const row = rows[i];
    const goesLeft = 1 - ((splitBin - binColumns[binsAt + row]) >>> 31);
    rows[left] = row;
    scratch[right] = row;
    left += goesLeft;
    right += 1 - goesLeft;
  }
  return left;
}
function logisticGradients(start, end) {
  for (let i = start; i < end; i++) {
    const p = 1 / (1 + Math.exp(-scores[i]));
    gradHess[2 * i] = p - targets[i];
    gradHess[2 * i + 1] = p * (1 - p);
  }
}
let seen = 0;
try {
  for (;;) {
    for (let spin = 0; spin < ${SPIN_LOADS} && Atomics.load(control, ${GENERATION}) === seen; spin++);
    // A wake-up is not a job: the main thread's notify can come late, after this thread already
    // ran the job (seen it in the spin) and went to sleep; only a new generation starts a job.
    while (Atomics.load(control, ${GENERATION}) === seen) Atomics.wait(control, ${GENERATION}, seen);
    seen = Atomics.load(control, ${GENERATION});
    if (seen < 0) break;
    const start = control[${START}];
    const end = control[${END}];
    const kind = control[${KIND}];
    if (kind === ${HISTOGRAM_JOB}) buildHistogram(start, end, control[${COLUMN_COUNT}], control[${GRADIENT_OFFSET}]);
    else if (kind === ${PARTITION_JOB}) control[${RESULT}] = partition(start, end, control[${FEATURE}], control[${SPLIT_BIN}]);
    else logisticGradients(start, end);
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
  /** Where a partition puts its right rows (at the same positions as in rows). */
  scratch: Uint32Array;
  /** The bins one feature after another (feature f's at [f * rows, (f + 1) * rows)). */
  binColumns: Uint8Array;
  /** Every output's gradient pairs, one after another. */
  gradHess: Float64Array;
  histLength: number;
  /** Numbers per histogram bin: 3 with a row count, 2 without. */
  slots: number;
  /** Raw scores of the rows (one output) and their 0/1 targets, for logistic gradient passes. */
  scores: Float64Array;
  targets: Float64Array;
}

/**
 * A second thread for histogram passes, partitions and logistic gradients: the main thread hands
 * it the second half of a node's rows (or of all rows) and works on the first half meanwhile.
 * Which rows each thread takes depends only on the node, so the sums (and the model bytes) do not
 * depend on timing.
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
        scratch: memory.scratch.buffer,
        binColumns: memory.binColumns.buffer,
        gradHess: memory.gradHess.buffer,
        columns: columns.buffer,
        hist: hist.buffer,
        scores: memory.scores.buffer,
        targets: memory.targets.buffer,
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

  /** Starts the histogram pass over rows[start, end) on the given storage columns; gradient pairs from gradientOffset on. */
  beginHistogram(start: number, end: number, columns: Int32Array, gradientOffset: number): void {
    this.columns.set(columns);
    this.control[COLUMN_COUNT] = columns.length;
    this.control[GRADIENT_OFFSET] = gradientOffset;
    this.begin(HISTOGRAM_JOB, start, end);
  }

  /** Waits for the histogram pass; its histogram (valid until the next job). */
  finishHistogram(): Float64Array {
    this.wait();
    return this.hist;
  }

  /** Starts the stable partition of rows[start, end) on bin <= splitBin (right rows to scratch[start, …)). */
  beginPartition(start: number, end: number, feature: number, splitBin: number): void {
    this.control[FEATURE] = feature;
    this.control[SPLIT_BIN] = splitBin;
    this.begin(PARTITION_JOB, start, end);
  }

  /** Waits for the partition; the end of its left rows. */
  finishPartition(): number {
    this.wait();
    return this.control[RESULT];
  }

  /** Starts logistic gradients of rows [start, end) (into the first output's gradient pairs). */
  beginLogisticGradients(start: number, end: number): void {
    this.begin(LOGISTIC_GRADIENT_JOB, start, end);
  }

  /** Waits for the gradient pass. */
  finishLogisticGradients(): void {
    this.wait();
  }

  private begin(kind: number, start: number, end: number): void {
    this.control[KIND] = kind;
    this.control[START] = start;
    this.control[END] = end;
    this.generation++;
    Atomics.store(this.control, GENERATION, this.generation);
    Atomics.notify(this.control, GENERATION);
  }

  private wait(): void {
    for (let spin = 0; spin < SPIN_LOADS && Atomics.load(this.control, FINISHED) !== this.generation; spin++);
    for (;;) {
      const finished = Atomics.load(this.control, FINISHED);
      if (finished === this.generation) return;
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
