import type { Command } from 'commander';
import { writeDemoData } from '../../../examples/demo-data/write.js';
import { InputError } from '../../core/errors.js';
import { runCommand } from '../run-command.js';

export function parseCount(value: string, option: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1)
    throw new InputError(`${option} must be a positive whole number, got "${value}"`);
  return count;
}

export function registerDemoData(program: Command): void {
  program
    .command('demo-data')
    .description('write the seeded synthetic weather data set (train/test/reference/production, or one file)')
    .option('--rows <n>', 'rows of train + test (or of the single file)', '20000')
    .option('--seed <n>', 'random seed', '42')
    .option('--single', 'write one weather.csv instead of the splits (for benchmarks)')
    .option('--out <dir>', 'output folder', 'mlops-out/data')
    .action(
      runCommand(async (options: { rows: string; seed: string; single?: boolean; out: string }) => {
        const files = await writeDemoData({
          dir: options.out,
          rows: parseCount(options.rows, '--rows'),
          seed: parseCount(options.seed, '--seed'),
          layout: options.single ? 'single' : 'splits',
        });
        for (const { path, rows } of Object.values(files)) console.log(`${path}  ${rows} rows`);
        return 0;
      }),
    );
}
