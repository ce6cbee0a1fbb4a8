import * as core from '@actions/core';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { gateExitCode, parseFailOn } from '../core/gate/fail-on.js';
import { runGate, todayUtc } from '../core/gate/run-gate.js';
import { readGitHubContext } from './context.js';
import { octokitPublisher } from './gate-publisher.js';
import { createGitHubClient } from './octokit.js';
import { publishGate } from './publish-gate.js';
import { optionalInput, requiredInput } from './run-action.js';

/** Input and output names, once (as in actions/gate/action.yml). */
export const GATE_INPUTS = {
  policy: 'policy',
  metrics: 'metrics',
  validation: 'validation',
  name: 'name',
  out: 'out',
  failOn: 'fail-on',
  token: 'token',
} as const;
export const GATE_OUTPUTS = { passed: 'passed', failedRules: 'failed-rules', report: 'report' } as const;

/** The policy's path as the checks API wants it: relative to the repository root, with forward slashes. */
function repositoryPath(file: string, workspace: string): string {
  const path = relative(workspace, resolve(file));
  return (isAbsolute(path) || path.startsWith('..') ? file : path).split(sep).join('/');
}

/** The gate action: decide, write gate.json/report.md, the job summary, outputs, then comment and check run. */
export async function gateAction(): Promise<void> {
  // The runner already masks the token (github.token and secrets); it is never logged here.
  const token = optionalInput(GATE_INPUTS.token);
  const policy = requiredInput(GATE_INPUTS.policy);
  const failOn = parseFailOn(optionalInput(GATE_INPUTS.failOn) ?? 'fail', `input "${GATE_INPUTS.failOn}"`);
  const { result, report, files } = await runGate({
    name: optionalInput(GATE_INPUTS.name) ?? 'mlops gate',
    policy,
    metrics: requiredInput(GATE_INPUTS.metrics),
    validation: optionalInput(GATE_INPUTS.validation),
    out: optionalInput(GATE_INPUTS.out) ?? 'mlops-out',
    today: todayUtc(),
  });

  await core.summary.addRaw(report).write();
  const failed = result.rules.filter((check) => check.verdict === 'fail').map((check) => check.name);
  core.setOutput(GATE_OUTPUTS.passed, String(result.passed));
  core.setOutput(GATE_OUTPUTS.failedRules, failed.join(','));
  core.setOutput(GATE_OUTPUTS.report, files.report);
  core.info(report);

  const context = readGitHubContext(process.env);
  if (context) {
    const log = { info: core.info, warning: core.warning };
    await publishGate({
      result,
      report,
      context,
      policyPath: repositoryPath(policy, context.workspace),
      publisher: token
        ? octokitPublisher(createGitHubClient(token, context.apiUrl, core.info), context.owner, context.repo)
        : undefined,
      log,
    });
  }

  if (gateExitCode(result.verdict, failOn) === 1) {
    const what = result.verdict === 'fail' ? `failed: ${failed.join(', ')}` : 'has warnings (fail-on: warn)';
    core.setFailed(`${result.name} ${what}`);
  }
}
