import type { Command } from 'commander';
import { join } from 'node:path';
import { exitCodeFor, parseFailOn } from '../../core/data/validate.js';
import { VALIDATION_FILES, validateToFiles } from '../../core/data/validate-files.js';
import { refuseOutputClash, toJson, writeFileAtomic, writeOutputs } from '../../core/io/atomic-write.js';
import { runCommand } from '../run-command.js';

export interface ValidateDataOptions {
  data: string;
  contract?: string;
  reference?: string;
  inferContract?: string;
  out: string;
  failOn?: string;
}

/** `mlops validate-data`: writes validation.json, profile.json, report.md, report.html; `mlops demo` calls it too. */
export async function validateDataCommand(options: ValidateDataOptions): Promise<number> {
  const failOn = parseFailOn(options.failOn, '--fail-on');
  if (options.inferContract)
    refuseOutputClash(options.inferContract, options.out, VALIDATION_FILES, '--infer-contract');
  const { result, files } = await validateToFiles({
    data: options.data,
    contract: options.contract,
    reference: options.reference,
    inferContract: options.inferContract !== undefined,
  });
  // The draft first: a path it cannot take stops the command before any report is written.
  if (options.inferContract && result.inferredContract) {
    await writeFileAtomic(options.inferContract, toJson(result.inferredContract));
  }
  await writeOutputs(options.out, files);
  const { validation } = result;
  console.log(
    `${validation.passed ? 'passed' : 'failed'}: ${validation.failedRules.length} rule(s) failed, ${validation.warnings.length} warning(s), ` +
      `${validation.driftedColumns.length} drifted column(s); ${validation.data.rows} rows in ${validation.durationMs} ms → ${join(options.out, 'validation.json')}`,
  );
  for (const name of validation.failedRules) console.log(`  failed: ${name}`);
  if (options.inferContract) console.log(`contract draft → ${options.inferContract}`);
  return exitCodeFor(validation, failOn);
}

export function registerValidateData(program: Command): void {
  program
    .command('validate-data')
    .description('check a data file against a contract, profile it, and measure drift against a reference')
    .requiredOption('--data <file>', 'data file (.csv, .tsv, .parquet, .jsonl, optionally .gz)')
    .option('--contract <file>', 'data contract (JSON Schema of one row plus dataset rules)')
    .option('--reference <file>', 'reference data file or saved profile.json to measure drift against')
    .option('--infer-contract <file>', 'write a contract drafted from the data, for review')
    .option('--fail-on <level>', 'exit 1 on: error (a failed rule), warning (also warnings), never', 'error')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(runCommand(validateDataCommand));
}
