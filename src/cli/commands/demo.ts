import type { Command } from 'commander';
import { join } from 'node:path';
import { writeDemoData } from '../../../examples/demo-data/write.js';
import { DEMO_FEATURES, DEMO_TARGETS } from '../../../examples/demo-data/weather.js';
import { shippedFile } from '../project-files.js';
import { runCommand } from '../run-command.js';
import { evaluateCommand } from './evaluate.js';
import { gateCommand } from './gate.js';
import { trainCommand } from './train.js';
import { validateDataCommand } from './validate-data.js';

interface DemoStep {
  title: string;
  run: () => Promise<number>;
  /** A step that shows a failure on purpose (the drifted production sample) does not decide the exit code. */
  expectFailure?: boolean;
}

/** The "current production model" the candidate is compared with: a linear model on the basic readings. */
const BASELINE_FEATURES = ['temperature_c', 'pressure_millibars', 'wind_speed_kmph'];

/**
 * The whole chain over the embedded demo data, offline, with the same command functions as the CLI:
 * data → validate → train (baseline and candidate) → evaluate → gate. The exit code is the gate's.
 */
export async function demoCommand(options: { out: string }): Promise<number> {
  const out = (name: string) => join(options.out, name);
  const data = (name: string) => join(options.out, 'data', `${name}.csv`);
  const contract = out('contract.json');
  const target = DEMO_TARGETS.classification;
  const steps: DemoStep[] = [
    {
      title: 'demo data: seeded synthetic hourly weather, 4 stations',
      run: async () => {
        const files = await writeDemoData({ dir: out('data'), rows: 20000, seed: 42, layout: 'splits' });
        for (const { path, rows } of Object.values(files)) console.log(`${path}  ${rows} rows`);
        return 0;
      },
    },
    {
      title: 'validate-data: draft a contract from the reference sample (review it, then commit it)',
      run: () =>
        validateDataCommand({
          data: data('reference'),
          inferContract: contract,
          out: out('reference-profile'),
        }),
    },
    {
      title: 'validate-data: training data against the contract, drift against the reference',
      run: () =>
        validateDataCommand({
          data: data('train'),
          contract,
          reference: data('reference'),
          out: out('validate'),
        }),
    },
    {
      title: 'validate-data: the production sample (drifted on purpose: expect failures)',
      run: () =>
        validateDataCommand({
          data: data('production'),
          contract,
          reference: data('reference'),
          out: out('validate-production'),
        }),
      expectFailure: true,
    },
    {
      title: `train: baseline logistic regression on ${BASELINE_FEATURES.join(', ')}`,
      run: () =>
        trainCommand({
          data: data('train'),
          target,
          algorithm: 'logistic-regression',
          features: BASELINE_FEATURES.join(','),
          param: [],
          seed: '42',
          out: out('baseline'),
        }),
    },
    {
      title: 'train: candidate gradient boosting on every reading',
      run: () =>
        trainCommand({
          data: data('train'),
          target,
          algorithm: 'gradient-boosting',
          features: DEMO_FEATURES.join(','),
          param: [],
          seed: '42',
          out: out('train'),
        }),
    },
    {
      title: 'evaluate: candidate against the baseline on the test split, per station',
      run: () =>
        evaluateCommand({
          model: join(out('train'), 'model.onnx'),
          data: data('test'),
          target,
          baseline: join(out('baseline'), 'model.onnx'),
          slice: ['station'],
          predictions: join(out('evaluate'), 'predictions.csv'),
          out: out('evaluate'),
        }),
    },
    {
      title: 'gate: examples/weather/policy.yml over the metrics and the training data validation',
      run: () =>
        gateCommand({
          policy: shippedFile('examples/weather/policy.yml'),
          metrics: join(out('evaluate'), 'metrics.json'),
          validation: join(out('validate'), 'validation.json'),
          out: out('gate'),
        }),
    },
  ];

  let exitCode = 0;
  for (const [index, step] of steps.entries()) {
    console.log(`\n── ${index + 1}/${steps.length} ${step.title}`);
    const started = performance.now();
    const code = await step.run();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const outcome = code === 0 ? 'passed' : step.expectFailure ? 'failed, as expected' : 'failed';
    console.log(`   ${outcome} (${seconds} s)`);
    if (!step.expectFailure) exitCode = Math.max(exitCode, code);
  }
  console.log(
    `\nreports: ${out('validate')}/report.html, ${out('evaluate')}/report.html, ${out('gate')}/report.md`,
  );
  return exitCode;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole chain on the embedded demo weather data, offline')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(runCommand(demoCommand));
}
