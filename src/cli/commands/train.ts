import type { Command } from 'commander';
import { NotBuiltYetError } from '../../core/errors.js';
import { collect, runCommand } from '../run-command.js';

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a built-in model and export ONNX, or run your own trainer with --command')
    .option('--data <file>', 'training data file')
    .option('--target <column>', 'column to predict')
    .option(
      '--algorithm <name>',
      'logistic-regression | linear-regression | gradient-boosting | random-forest',
      'gradient-boosting',
    )
    .option('--features <list>', 'comma-separated feature columns (default: every column but the target)')
    .option('--param <key=value>', 'algorithm parameter (repeatable)', collect, [])
    .option('--seed <n>', 'random seed', '42')
    .option('--command <shell>', 'run this trainer instead; it must write $MLOPS_OUTPUT_DIR/model.onnx')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(
      runCommand(async () => {
        throw new NotBuiltYetError('mlops train');
      }),
    );
}
