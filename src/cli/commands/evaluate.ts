import type { Command } from 'commander';
import { NotBuiltYetError } from '../../core/errors.js';
import { collect, runCommand } from '../run-command.js';

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
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(
      runCommand(async () => {
        throw new NotBuiltYetError('mlops evaluate');
      }),
    );
}
