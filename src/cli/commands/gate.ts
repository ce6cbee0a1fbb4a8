import type { Command } from 'commander';
import { gateExitCode, parseFailOn } from '../../core/gate/fail-on.js';
import { runGate, todayUtc } from '../../core/gate/run-gate.js';
import { runCommand } from '../run-command.js';

export interface GateCommandOptions {
  policy: string;
  metrics: string;
  validation?: string;
  out: string;
  /** fail (default), warn or never. */
  failOn?: string;
}

/** `mlops gate`: writes gate.json and report.md, prints the report; 0 pass/warn, 1 fail (see --fail-on). */
export async function gateCommand(options: GateCommandOptions): Promise<number> {
  const failOn = parseFailOn(options.failOn ?? 'fail', '--fail-on');
  const { result, report, files } = await runGate({ ...options, name: 'mlops gate', today: todayUtc() });
  console.log(report);
  console.log(`wrote ${files.gate} and ${files.report}`);
  return gateExitCode(result.verdict, failOn);
}

export function registerGate(program: Command): void {
  program
    .command('gate')
    .description('decide pass/warn/fail from a policy over metrics.json and validation.json')
    .requiredOption('--policy <file>', 'policy file (YAML)')
    .requiredOption('--metrics <file>', 'metrics.json from mlops evaluate')
    .option('--validation <file>', 'validation.json from mlops validate-data')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .option('--fail-on <when>', 'exit 1 on: fail, warn (also on warnings) or never', 'fail')
    .action(runCommand(gateCommand));
}
