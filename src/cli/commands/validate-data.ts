import type { Command } from 'commander';
import { NotBuiltYetError } from '../../core/errors.js';
import { runCommand } from '../run-command.js';

export function registerValidateData(program: Command): void {
  program
    .command('validate-data')
    .description('check a data file against a contract, profile it, and measure drift against a reference')
    .requiredOption('--data <file>', 'data file (.csv, .tsv, .parquet, .jsonl, optionally .gz)')
    .option('--contract <file>', 'data contract (JSON Schema of one row plus dataset rules)')
    .option('--reference <file>', 'reference data file or saved profile.json to measure drift against')
    .option('--infer-contract <file>', 'write a contract drafted from the data, for review')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(
      runCommand(async () => {
        throw new NotBuiltYetError('mlops validate-data');
      }),
    );
}
