import { Worker } from 'node:worker_threads';
import { KERNEL_NAMES, histogramKernelsModule, type KernelName } from './histogram-kernels.js';

/**
 * Control slots: job generation (-1 stops the thread), generation of the last finished job,
 * whether the helper is (about to be) asleep, the job's kernel (its number in KERNEL_NAMES), its
 * result, and its arguments.
 */
const GENERATION = 0;
const FINISHED = 1;
const SLEEPING = 2;
const KIND = 3;
const RESULT = 4;
const ARGUMENTS = 5;
const MAX_ARGUMENTS = 10;
/**
 * Loads of a control slot either thread makes before sleeping on it: jobs come every few tens of
 * microseconds while a tree grows, and waking a sleeping thread costs about as much.
 */
const SPIN_LOADS = 20_000;

/**
 * The helper thread's loop, as source text: bundlers and test transforms rewrite functions (their
 * `require`, their helpers), so the thread's code must not be one. It runs the main thread's
 * kernels on the same shared memory; a failure is reported through FINISHED = -1 so the main
 * thread never waits forever.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const exports = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
const kernels = ${JSON.stringify(KERNEL_NAMES)}.map((name) => exports[name]);
const control = new Int32Array(workerData.control);
const args = new Array(${MAX_ARGUMENTS});
let seen = 0;
try {
  for (;;) {
    for (let spin = 0; spin < ${SPIN_LOADS} && Atomics.load(control, ${GENERATION}) === seen; spin++);
    // A wake-up is not a job: the main thread's notify can come late, after this thread already
    // ran the job (seen it in the spin) and went to sleep; only a new generation starts a job.
    // SLEEPING is raised before the generation is read again, so a main thread that stores a new
    // generation either finds it raised (and notifies) or is seen here (no sleep).
    Atomics.store(control, ${SLEEPING}, 1);
    while (Atomics.load(control, ${GENERATION}) === seen) Atomics.wait(control, ${GENERATION}, seen);
    Atomics.store(control, ${SLEEPING}, 0);
    seen = Atomics.load(control, ${GENERATION});
    if (seen < 0) break;
    for (let k = 0; k < ${MAX_ARGUMENTS}; k++) args[k] = control[${ARGUMENTS} + k];
    control[${RESULT}] = kernels[control[${KIND}]](...args) ?? 0;
    Atomics.store(control, ${FINISHED}, seen);
    Atomics.notify(control, ${FINISHED});
  }
} catch (error) {
  Atomics.store(control, ${FINISHED}, -1);
  Atomics.notify(control, ${FINISHED});
  throw error;
}
`;

/**
 * A second thread for the kernels (histogram passes, partitions, gradients, leaf values): the
 * main thread hands it the second half of a node's rows (or of all rows) and works on the first
 * half meanwhile.
 * Which rows each thread takes depends only on the node, so the sums (and the model bytes) do not
 * depend on timing.
 */
export class HistogramHelper {
  private generation = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly control: Int32Array,
  ) {}

  /** Starts the thread on the kernels' shared memory (histogram-kernels.ts). */
  static async start(memory: WebAssembly.Memory): Promise<HistogramHelper> {
    const control = new Int32Array(new SharedArrayBuffer((ARGUMENTS + MAX_ARGUMENTS) * 4));
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: {
        control: control.buffer,
        module: histogramKernelsModule(),
        memory,
      },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    // An idle helper must not keep the process alive if a caller forgets close().
    worker.unref();
    return new HistogramHelper(worker, control);
  }

  /** Starts a kernel on the helper thread (arguments as the kernel takes them). */
  beginKernel(kernel: KernelName, args: number[]): void {
    this.begin(KERNEL_NAMES.indexOf(kernel), args);
  }

  /** Waits for the kernel; its result (0 for kernels without one). */
  finishKernel(): number {
    this.wait();
    return this.control[RESULT];
  }

  private begin(kind: number, args: number[]): void {
    this.control[KIND] = kind;
    this.control.set(args, ARGUMENTS);
    this.generation++;
    Atomics.store(this.control, GENERATION, this.generation);
    // Notifying costs microseconds even with nobody waiting; a spinning helper needs none.
    if (Atomics.load(this.control, SLEEPING)) Atomics.notify(this.control, GENERATION);
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
