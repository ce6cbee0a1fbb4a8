import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { toJson, writeOutputs } from '../io/atomic-write.js';
import { gateMarkdown } from '../report/gate-markdown.js';
import { evaluateGate } from './evaluate-gate.js';
import { parseMetrics, parseValidation } from './gate-inputs.js';
import type { GateResult } from './gate-result.js';
import { parsePolicy } from './parse-policy.js';

export interface RunGateOptions {
  name: string;
  policy: string;
  metrics: string;
  validation?: string;
  out: string;
  /** YYYY-MM-DD, UTC, for waiver expiry. */
  today: string;
}

export interface GateRun {
  result: GateResult;
  report: string;
  files: { gate: string; report: string };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? 'unknown error'})`,
      { file },
    );
  }
}

/**
 * The gate job shared by the CLI and the action: read and check the policy and the inputs, decide,
 * then write gate.json and report.md together (nothing is written when an input is bad).
 */
export async function runGate(options: RunGateOptions): Promise<GateRun> {
  const [policyText, metricsText, validationText] = await Promise.all([
    readText(options.policy),
    readText(options.metrics),
    options.validation === undefined ? undefined : readText(options.validation),
  ]);
  const policy = parsePolicy(policyText, options.policy);
  const metrics = parseMetrics(metricsText, options.metrics);
  const validation =
    validationText === undefined ? undefined : parseValidation(validationText, options.validation!);
  const result = evaluateGate({ name: options.name, policy, metrics, validation, today: options.today });
  const report = gateMarkdown(result);
  const files = { gate: join(options.out, 'gate.json'), report: join(options.out, 'report.md') };
  await writeOutputs(options.out, { 'gate.json': toJson(result), 'report.md': report });
  return { result, report, files };
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
