/**
 * Soundness of the gate's default policy (`metrics: [{ metric: roc_auc }]`: max_drop defaults to 0,
 * decided on the 95% interval of the paired delta). A fixed population of labels and scores shaped
 * like the demo classifier (rain_within_4h: ~26% positives, ROC AUC ~0.86); each run resamples a
 * 10k-row test set, compares candidate and baseline on the same rows (DeLong, from src/core/evaluate)
 * and runs the real gate on the resulting metrics.json. Goals: false alarms in ≤ 5% of A/A runs,
 * ≥ 80% of real 1-point ROC AUC drops blocked.
 * Run: npm run bench -- gate [--runs 200] [--bootstrap-runs 40]
 */
import { SeededRandom } from '../../src/core/random.js';
import { pairedBootstrapRocAuc } from '../../src/core/evaluate/bootstrap.js';
import { delongPairedTest } from '../../src/core/evaluate/delong.js';
import type { PairedTestResult } from '../../src/core/evaluate/paired-test.js';
import { argsortAscending, rocAuc } from '../../src/core/evaluate/ranking.js';
import { evaluateGate } from '../../src/core/gate/evaluate-gate.js';
import type { GateMetrics } from '../../src/core/gate/gate-inputs.js';
import { parsePolicy } from '../../src/core/gate/parse-policy.js';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

const RUNS = flag('--runs', 200);
const BOOTSTRAP_RUNS = flag('--bootstrap-runs', 40);
const POPULATION = 200_000;
const TEST_ROWS = 10_000;
const PREVALENCE = 0.26;
const TARGET_AUC = 0.86;
const SIGNAL_SEPARATION = 2;
const DEFAULT_POLICY = parsePolicy('metrics:\n  - metric: roc_auc\n', 'default-policy.yml');
const POINT_POLICY = parsePolicy('metrics:\n  - metric: roc_auc\n    decide_on: point\n', 'point-policy.yml');

const random = new SeededRandom(2024);

function populationAuc(labels: Uint8Array, scores: Float64Array): number {
  return rocAuc(argsortAscending(scores), scores, labels);
}

/** Scores `base + scale·noise`, with `scale` found by bisection so the population AUC is `target`. */
function scoresWithAuc(labels: Uint8Array, base: Float64Array, target: number): Float64Array {
  const noise = Float64Array.from(base, () => random.normal());
  const withScale = (scale: number) => Float64Array.from(base, (value, row) => value + scale * noise[row]);
  let low = 0;
  let high = 8;
  for (let step = 0; step < 40; step++) {
    const middle = (low + high) / 2;
    if (populationAuc(labels, withScale(middle)) > target) low = middle;
    else high = middle;
  }
  return withScale((low + high) / 2);
}

// The population: a latent signal the models see through their own noise.
const labels = Uint8Array.from({ length: POPULATION }, () => (random.chance(PREVALENCE) ? 1 : 0));
const signal = Float64Array.from(labels, (label) => label * SIGNAL_SEPARATION + random.normal());
const baseline = scoresWithAuc(labels, signal, TARGET_AUC);
const baselineAuc = populationAuc(labels, baseline);
/** A/A: another model of the same skill (its own noise on the same signal), and the very same model. */
const equalSkill = scoresWithAuc(labels, signal, baselineAuc);
/** Real drop: the baseline's scores degraded until the population AUC is 1 point lower. */
const degraded = scoresWithAuc(labels, baseline, baselineAuc - 0.01);
/** Informative, no goal: a 1-point worse model that shares only the signal with the baseline (less paired). */
const weakerModel = scoresWithAuc(labels, signal, baselineAuc - 0.01);

function sample(rows: Uint32Array, scores: Float64Array): Float64Array {
  return Float64Array.from(rows, (row) => scores[row]);
}

function metricsOf(candidateAuc: number, baseAuc: number, paired: PairedTestResult): GateMetrics {
  return {
    task: 'binary',
    n: TEST_ROWS,
    metrics: { roc_auc: { value: candidateAuc, interval: null } },
    comparisons: [
      {
        role: 'baseline',
        name: 'baseline',
        metrics: { roc_auc: { value: baseAuc, interval: null } },
        deltas: {
          roc_auc: {
            delta: paired.delta,
            interval: paired.interval,
            pValue: paired.pValue,
            test: paired.test,
          },
        },
      },
    ],
  };
}

interface Scenario {
  name: string;
  candidate: Float64Array;
  goal: string;
}

interface Tally {
  blocked: number;
  blockedOnPoint: number;
  widths: number[];
  bootstrapBlocked: number;
  bootstrapRuns: number;
}

function blocks(policy: typeof DEFAULT_POLICY, metrics: GateMetrics): boolean {
  return !evaluateGate({ name: 'bench', policy, metrics, today: '2026-01-01' }).passed;
}

function simulate(scenario: Scenario): Tally {
  const tally: Tally = { blocked: 0, blockedOnPoint: 0, widths: [], bootstrapBlocked: 0, bootstrapRuns: 0 };
  for (let run = 0; run < RUNS; run++) {
    const rows = Uint32Array.from({ length: TEST_ROWS }, () => Math.floor(random.next() * POPULATION));
    const y = Uint8Array.from(rows, (row) => labels[row]);
    const candidate = sample(rows, scenario.candidate);
    const base = sample(rows, baseline);
    const candidateAuc = rocAuc(argsortAscending(candidate), candidate, y);
    const baseAuc = rocAuc(argsortAscending(base), base, y);
    const paired = delongPairedTest(y, candidate, base);
    const metrics = metricsOf(candidateAuc, baseAuc, paired);
    if (blocks(DEFAULT_POLICY, metrics)) tally.blocked++;
    if (blocks(POINT_POLICY, metrics)) tally.blockedOnPoint++;
    if (paired.interval) tally.widths.push(paired.interval[1] - paired.interval[0]);
    if (run < BOOTSTRAP_RUNS) {
      const bootstrap = pairedBootstrapRocAuc(y, candidate, base, { resamples: 500, seed: run + 1 });
      tally.bootstrapRuns++;
      if (blocks(DEFAULT_POLICY, metricsOf(candidateAuc, baseAuc, bootstrap))) tally.bootstrapBlocked++;
    }
  }
  return tally;
}

const percent = (count: number, total: number) => `${((100 * count) / total).toFixed(1)}%`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const started = performance.now();
console.log(
  `population ${POPULATION} rows, ${percent(
    labels.reduce((sum, label) => sum + label, 0),
    POPULATION,
  )} positive; ` +
    `population ROC AUC: baseline ${baselineAuc.toFixed(4)}, equal-skill ${populationAuc(labels, equalSkill).toFixed(4)}, ` +
    `degraded ${populationAuc(labels, degraded).toFixed(4)}, unrelated weaker ${populationAuc(labels, weakerModel).toFixed(4)}`,
);
console.log(
  `${RUNS} runs per scenario, ${TEST_ROWS} resampled test rows per run; default policy: metrics: [{ metric: roc_auc }]`,
);
const scenarios: Scenario[] = [
  { name: 'A/A, same model', candidate: baseline, goal: 'alarms ≤ 5%' },
  { name: 'A/A, equal-skill model', candidate: equalSkill, goal: 'alarms ≤ 5%' },
  { name: 'real 1-point AUC drop', candidate: degraded, goal: 'blocked ≥ 80%' },
  { name: '1 point, unrelated model', candidate: weakerModel, goal: 'none, informative' },
];
const results = scenarios.map((scenario) => ({ scenario, tally: simulate(scenario) }));
for (const { scenario, tally } of results) {
  console.log(
    `${scenario.name.padEnd(25)} blocked ${percent(tally.blocked, RUNS).padStart(6)} (goal: ${scenario.goal}); ` +
      `median 95% delta interval width ${median(tally.widths).toFixed(4)}; ` +
      `paired bootstrap instead of DeLong: ${percent(tally.bootstrapBlocked, tally.bootstrapRuns)} of ${tally.bootstrapRuns}; ` +
      `decide_on: point would block ${percent(tally.blockedOnPoint, RUNS)}`,
  );
}
console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);

const worstAlarm = Math.max(...results.slice(0, 2).map(({ tally }) => tally.blocked / RUNS));
const dropBlocked = results[2].tally.blocked / RUNS;
const met = worstAlarm <= 0.05 && dropBlocked >= 0.8;
console.log(met ? 'soundness goals met' : 'soundness goals NOT met');
process.exit(met ? 0 : 1);
