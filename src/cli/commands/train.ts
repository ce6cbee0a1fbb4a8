import type { Command } from 'commander';
import { ALGORITHMS, DEFAULT_ALGORITHM } from '../../core/train/registry.js';
import { runTraining } from '../../core/train/run-training.js';
import { trainingSummaryLines } from '../../core/report/training-report.js';
import { collect, runCommand } from '../run-command.js';

export interface TrainCommandOptions {
  data?: string;
  target?: string;
  algorithm?: string;
  features?: string;
  param: string[];
  seed: string;
  command?: string;
  out: string;
}

/** `mlops train`: writes OUT/model.onnx and OUT/training.json; `mlops demo` calls it too. */
export async function trainCommand(options: TrainCommandOptions): Promise<number> {
  const outcome = await runTraining({ ...options, params: options.param, env: process.env });
  for (const note of outcome.notes) console.log(`note: ${note}`);
  for (const line of trainingSummaryLines(outcome.training)) console.log(line);
  console.log(`wrote ${outcome.modelPath} and ${outcome.trainingPath}`);
  return 0;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a built-in model and export ONNX, or run your own trainer with --command')
    .option('--data <file>', 'training data file')
    .option('--target <column>', 'column to predict')
    .option('--algorithm <name>', `${ALGORITHMS.join(' | ')} (default: ${DEFAULT_ALGORITHM})`)
    .option('--features <list>', 'comma-separated feature columns (default: every column but the target)')
    .option('--param <key=value>', 'algorithm parameter (repeatable); see docs/train.md', collect, [])
    .option('--seed <n>', 'random seed', '42')
    .option('--command <shell>', 'run this trainer instead; it must write $MLOPS_OUTPUT_DIR/model.onnx')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(runCommand(trainCommand));
}
