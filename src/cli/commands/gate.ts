import type { Command } from 'commander';
import { NotBuiltYetError } from '../../core/errors.js';
import { runCommand } from '../run-command.js';

export function registerGate(program: Command): void {
  program
    .command('gate')
    .description('decide pass/warn/fail from a policy over metrics.json and validation.json')
    .requiredOption('--policy <file>', 'policy file (YAML)')
    .requiredOption('--metrics <file>', 'metrics.json from mlops evaluate')
    .option('--validation <file>', 'validation.json from mlops validate-data')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(
      runCommand(async () => {
        throw new NotBuiltYetError('mlops gate');
      }),
    );
}
