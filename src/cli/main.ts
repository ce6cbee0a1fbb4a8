#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../core/version.js';
import { registerDemo } from './commands/demo.js';
import { registerDemoData } from './commands/demo-data.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerGate } from './commands/gate.js';
import { registerPublish } from './commands/publish.js';
import { registerTrain } from './commands/train.js';
import { registerValidateData } from './commands/validate-data.js';
import { EXIT } from './run-command.js';

const program = new Command('mlops')
  .description('ML CI/CD from the command line: the same jobs as the mlops-actions GitHub Actions')
  .version(TOOL_VERSION, '-V, --version')
  .enablePositionalOptions()
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

for (const register of [
  registerValidateData,
  registerTrain,
  registerEvaluate,
  registerGate,
  registerPublish,
  registerDemo,
  registerDemoData,
]) {
  register(program);
}
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander signals help/version and usage mistakes by throwing once exitOverride is on.
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.passed : EXIT.usage;
  } else {
    throw error;
  }
}
