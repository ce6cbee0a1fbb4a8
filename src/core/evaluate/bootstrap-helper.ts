import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RowTerms } from './classification-rows.js';
import type { RankedRows } from './ranking.js';
import { POISSON_TABLES, resampleStreams } from './random.js';

/**
 * The helper thread's work, as source text: bundlers and test transforms rewrite functions (their
 * `require`, their helpers), so the thread's code must not be one. It is drawPoissonRows (random.ts)
 * and accumulateBinary (classification-sums.ts) line for line, same arithmetic in the same order, so
 * its sums are bit-identical (tests/evaluate/bootstrap-helper.test.ts holds them to it).
 */
const HELPER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const d = workerData;
const { cdf32, straddles, runEnd, runBin, runPredicted } = d;
const rows = d.positive.length;
const sharedWeights = new Uint8Array(rows);
const at = d.offsets;
const out = new Float64Array(d.out);
const claimed = new Int32Array(d.claimed);
const done = new Int32Array(d.done);
const state = new Float64Array(9);

// Hot loops read the arrays from locals: script-level bindings are context slots, loaded on
// every access (measured nearly twice as slow).
function poissonAt(uniform32) {
  let count = 0;
  while (count < cdf32.length && uniform32 >= cdf32[count]) count++;
  return count;
}

function nextUint32At(state, at) {
  const t = state[at] ^ (state[at] << 11);
  state[at] = state[at + 1];
  state[at + 1] = state[at + 2];
  state[at + 2] = state[at + 3];
  state[at + 3] = state[at + 3] ^ (state[at + 3] >>> 19) ^ t ^ (t >>> 8);
  return state[at + 3] >>> 0;
}

function poissonOfPrefix(prefix, streams) {
  const count = d.byPrefix[prefix];
  return count === straddles ? poissonAt(prefix * 65536 + (nextUint32At(streams, 4) >>> 16)) : count;
}

function drawRows(start, end, streams) {
  const weights = sharedWeights;
  const byPrefix = d.byPrefix;
  let x = streams[0], y = streams[1], z = streams[2], w = streams[3];
  const pairsEnd = end >> 1;
  for (let pair = start >> 1; pair < pairsEnd; pair++) {
    const t = x ^ (x << 11);
    x = y; y = z; z = w;
    w = w ^ (w >>> 19) ^ t ^ (t >>> 8);
    const high = byPrefix[w >>> 16];
    const low = byPrefix[w & 0xffff];
    if ((high | low) === straddles) {
      weights[2 * pair] = poissonOfPrefix(w >>> 16, streams);
      weights[2 * pair + 1] = poissonOfPrefix(w & 0xffff, streams);
    } else {
      weights[2 * pair] = high;
      weights[2 * pair + 1] = low;
    }
  }
  streams[0] = x; streams[1] = y; streams[2] = z; streams[3] = w;
  if (end & 1) weights[end - 1] = poissonOfPrefix(nextUint32At(streams, 4) >>> 16, streams);
}

function accumulateRows(start, end) {
  const weights = sharedWeights;
  const { positive, tieEnd, logLoss, brier, calibrationGap } = d;
  let weightSeen = state[0];
  let positiveSeen = state[1];
  let positiveAtTie = state[2];
  let negativeAtTie = state[3];
  let rocNumerator = state[4];
  let precisionNumerator = state[5];
  let logLossSum = state[6];
  let brierSum = state[7];
  let gap = state[8];
  for (let row = start; row < end; row++) {
    const weight = weights[row];
    const closesGroup = tieEnd[row];
    weightSeen += weight;
    positiveSeen += positive[row] * weight;
    logLossSum += weight * logLoss[row];
    brierSum += weight * brier[row];
    gap += weight * calibrationGap[row];
    const negativeSeen = weightSeen - positiveSeen;
    const groupPositive = closesGroup * (positiveSeen - positiveAtTie);
    const groupNegative = closesGroup * (negativeSeen - negativeAtTie);
    rocNumerator += groupNegative * (positiveAtTie + groupPositive / 2);
    const inverse = weightSeen ? 1 / weightSeen : 0;
    precisionNumerator += groupPositive * positiveSeen * inverse;
    positiveAtTie += groupPositive;
    negativeAtTie += groupNegative;
  }
  state[0] = weightSeen; state[1] = positiveSeen; state[2] = positiveAtTie; state[3] = negativeAtTie;
  state[4] = rocNumerator; state[5] = precisionNumerator; state[6] = logLossSum; state[7] = brierSum;
  state[8] = gap;
}

function accumulate(sums, streams) {
  state.fill(0);
  let predicted = 0;
  let truePositive = 0;
  let run = 0;
  let weightBefore = 0;
  let positiveBefore = 0;
  for (let block = 0; block < rows; block += d.rowsPerCall) {
    const blockEnd = Math.min(block + d.rowsPerCall, rows);
    drawRows(block, blockEnd, streams);
    for (let start = block; start < blockEnd; ) {
      const end = Math.min(runEnd[run], blockEnd);
      accumulateRows(start, end);
      start = end;
      if (end < runEnd[run]) continue;
      sums[at.calibration + runBin[run]] += state[8];
      state[8] = 0;
      if (runPredicted[run] === 1) {
        predicted += state[0] - weightBefore;
        truePositive += state[1] - positiveBefore;
      }
      weightBefore = state[0];
      positiveBefore = state[1];
      run++;
    }
  }
  const total = state[0];
  const positiveWeight = state[1];
  sums[0] = total - positiveWeight - predicted + truePositive;
  sums[1] = predicted - truePositive;
  sums[2] = positiveWeight - truePositive;
  sums[3] = truePositive;
  sums[at.logLoss] = state[6];
  sums[at.brier] = state[7];
  sums[at.rankings] = state[4];
  sums[at.rankings + 1] = state[5];
  sums[at.rankings + 2] = positiveWeight;
  sums[at.rankings + 3] = total - positiveWeight;
}

// Resamples from the last down, each claimed first; the main thread claims from the first up.
for (let r = claimed.length - 1; r >= 0; r--) {
  if (Atomics.compareExchange(claimed, r, 0, 1) !== 0) break;
  accumulate(out.subarray(r * at.size, (r + 1) * at.size), d.streams.subarray(8 * r, 8 * r + 8));
  Atomics.store(done, r, 1);
}
parentPort.postMessage('finished');
`;

/** What the helper needs of a binary classifier's pass (classification-sums.ts accumulateBinary). */
export interface BinaryPass {
  terms: RowTerms;
  ranked: RankedRows;
  layout: { calibration: number; logLoss: number; brier: number; rankings: number; size: number };
  rowsPerCall: number;
}

/**
 * Below this many row-resamples a second thread costs more (tens of milliseconds to start) than
 * it saves.
 */
const HELPER_MIN_WORK = 20_000_000;

/** Whether a second thread should take part of the resamples of `rows` rows. */
export function helperWorthwhile(rows: number, resamples: number): boolean {
  return availableParallelism() > 1 && rows * resamples >= HELPER_MIN_WORK;
}

/**
 * A thread computing the binary pass's sums for resamples from the last one down, while the main
 * thread works from the first one up: each resample is claimed once (an atomic flag), so the two
 * meet wherever their speeds take them. A resample depends only on the seed and its index, so the
 * results do not depend on who computed what.
 */
export class BinaryPassHelper {
  private readonly claimed: Int32Array;
  private readonly done: Int32Array;
  private readonly out: Float64Array;
  /** Resolves when the thread has stopped claiming (rejects if it failed). */
  readonly finished: Promise<void>;

  constructor(pass: BinaryPass, seed: number, resamples: number) {
    const size = pass.layout.size;
    this.claimed = new Int32Array(new SharedArrayBuffer(4 * resamples));
    this.done = new Int32Array(new SharedArrayBuffer(4 * resamples));
    this.out = new Float64Array(new SharedArrayBuffer(8 * resamples * size));
    const streams = new Int32Array(8 * resamples);
    for (let r = 0; r < resamples; r++) streams.set(resampleStreams(seed, r), 8 * r);
    const { terms, ranked, layout } = pass;
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: {
        ...POISSON_TABLES,
        positive: ranked.positive,
        tieEnd: ranked.tieEnd,
        logLoss: terms.logLoss,
        brier: terms.brier,
        calibrationGap: terms.calibrationGap,
        runEnd: terms.runs.end,
        runBin: terms.runs.bin,
        runPredicted: terms.runs.predicted,
        streams,
        offsets: layout,
        rowsPerCall: pass.rowsPerCall,
        claimed: this.claimed.buffer,
        done: this.done.buffer,
        out: this.out.buffer,
      },
    });
    this.finished = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the bootstrap helper thread exited with code ${code}`)),
      );
    }).finally(() => void worker.terminate());
  }

  /** Claims resample r for the main thread; false when the helper has it. */
  claim(r: number): boolean {
    return Atomics.compareExchange(this.claimed, r, 0, 1) === 0;
  }

  /** Resample r's sums if the helper computed them (after `finished`), else null. */
  sums(r: number): Float64Array | null {
    if (Atomics.load(this.done, r) !== 1) return null;
    const size = this.out.length / this.done.length;
    return this.out.subarray(r * size, (r + 1) * size);
  }
}
