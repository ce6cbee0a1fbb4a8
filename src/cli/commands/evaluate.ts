import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { evaluate } from '../../core/evaluate/evaluate.js';
import { EVALUATION_FILES, evaluationFiles } from '../../core/evaluate/outputs.js';
import { refuseOutputClash, writeFileAtomic, writeOutputs } from '../../core/io/atomic-write.js';
import { formatNumber, formatPValue } from '../../core/report/markdown.js';
import { formatInterval } from '../../core/report/evaluation-tables.js';
import { collect, runCommand } from '../run-command.js';

export interface EvaluateCommandOptions {
  model: string;
  data: string;
  target: string;
  baseline?: string;
  slice: string[];
  features?: string;
  predictions?: string;
  out: string;
  /** Bootstrap resamples and seed (defaults: 1000, fixed seed). */
  resamples?: string;
  seed?: string;
}

function parseWhole(value: string | undefined, option: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum) {
    throw new InputError(`${option} must be a whole number ≥ ${minimum}, got "${value}"`);
  }
  return number;
}

export function parseFeatureList(value: string | undefined): string[] | undefined {
  const list = value
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return list?.length ? list : undefined;
}

/** `mlops evaluate`: writes metrics.json, report.md, report.html (and --predictions); exit 0 once evaluated. */
export async function evaluateCommand(options: EvaluateCommandOptions): Promise<number> {
  const resamples = parseWhole(options.resamples, '--resamples', 1);
  const seed = parseWhole(options.seed, '--seed', 0);
  if (options.predictions)
    refuseOutputClash(options.predictions, options.out, EVALUATION_FILES, '--predictions');
  const { document, predictionsCsv, warnings } = await evaluate({
    model: options.model,
    data: options.data,
    target: options.target,
    baseline: options.baseline,
    slices: options.slice ?? [],
    features: parseFeatureList(options.features),
    predictions: Boolean(options.predictions),
    bootstrap:
      resamples !== undefined || seed !== undefined
        ? { resamples: resamples ?? 1000, seed: seed ?? 20240617 }
        : undefined,
  });
  // The predictions first: a path they cannot take stops the command before any report is written.
  if (options.predictions && predictionsCsv !== null)
    await writeFileAtomic(options.predictions, predictionsCsv);
  const written = await writeOutputs(options.out, evaluationFiles(document));
  if (options.predictions && predictionsCsv !== null) written.push(options.predictions);
  for (const warning of warnings) console.error(`warning: ${warning}`);
  console.log(`${document.task} model, ${document.n} rows, target "${document.target}"`);
  for (const [name, metric] of Object.entries(document.metrics)) {
    console.log(
      `  ${name.padEnd(20)} ${formatNumber(metric.value).padStart(12)}  ${metric.interval ? formatInterval(metric.interval) : ''}`,
    );
  }
  for (const comparison of document.comparisons) {
    console.log(`against ${comparison.role} ${comparison.model.path}:`);
    for (const [name, delta] of Object.entries(comparison.deltas)) {
      console.log(
        `  Δ ${name.padEnd(18)} ${formatNumber(delta.delta).padStart(12)}  ${formatInterval(delta.interval)}  p=${formatPValue(delta.pValue)} (${delta.test})`,
      );
    }
  }
  console.log(`wrote ${written.join(', ')}`);
  return 0;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('score an ONNX model: metrics with 95% intervals, baseline comparison, slices, latency')
    .requiredOption('--model <file>', 'ONNX model')
    .requiredOption('--data <file>', 'evaluation data file')
    .requiredOption('--target <column>', 'column with the true values')
    .option('--baseline <file>', 'baseline ONNX model scored on the same rows')
    .option('--slice <column>', 'report metrics per value of this column (repeatable)', collect, [])
    .option('--features <list>', 'comma-separated columns fed, in order, to a single [N,F] float input')
    .option('--predictions <file>', 'write per-row predictions to this CSV')
    .option('--resamples <n>', 'bootstrap resamples for the 95% intervals', '1000')
    .option('--seed <n>', 'bootstrap seed (same data and seed give the same intervals)', '20240617')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(runCommand(evaluateCommand));
}
