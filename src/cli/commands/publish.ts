import type { Command } from 'commander';
import { NotBuiltYetError } from '../../core/errors.js';
import { runCommand } from '../run-command.js';

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description(
      'not built yet: will package the model, manifest and model card into NAME-VERSION.zip (upload and release in Actions)',
    )
    .requiredOption('--model <file>', 'ONNX model')
    .requiredOption('--name <name>', 'model name')
    .requiredOption('--version <version>', 'model version')
    .option('--metrics <file>', 'metrics.json to include')
    .option('--training <file>', 'training.json to include')
    .option('--profile <file>', 'profile.json to include')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(
      runCommand(async () => {
        throw new NotBuiltYetError('mlops publish');
      }),
    );
}
