import * as core from '@actions/core';
import { join } from 'node:path';
import { exitCodeFor, parseFailOn } from '../core/data/validate.js';
import { VALIDATION_FILES, validateToFiles } from '../core/data/validate-files.js';
import { refuseOutputClash, toJson, writeFileAtomic, writeOutputs } from '../core/io/atomic-write.js';
import { annotateValidation } from '../github/annotations.js';
import { optionalInput, requiredInput, runAction } from '../github/run-action.js';

await runAction(async () => {
  const data = requiredInput('data');
  const failOn = parseFailOn(optionalInput('fail-on'));
  const out = optionalInput('out') ?? 'mlops-out';
  const inferPath = optionalInput('infer-contract');
  if (inferPath) refuseOutputClash(inferPath, out, VALIDATION_FILES, 'infer-contract');
  const { result, files, reportMarkdown } = await validateToFiles({
    data,
    contract: optionalInput('contract'),
    reference: optionalInput('reference'),
    inferContract: inferPath !== undefined,
  });
  // The draft first: a path it cannot take stops the step before any report is written.
  if (inferPath && result.inferredContract) await writeFileAtomic(inferPath, toJson(result.inferredContract));
  await writeOutputs(out, files);
  const { validation } = result;
  core.setOutput('passed', String(validation.passed));
  core.setOutput('failed-rules', validation.failedRules.join(','));
  core.setOutput('drifted-columns', validation.driftedColumns.join(','));
  core.setOutput('profile', join(out, 'profile.json'));
  core.setOutput('report', join(out, 'report.html'));
  await core.summary.addRaw(reportMarkdown, true).write();
  annotateValidation(validation);
  if (exitCodeFor(validation, failOn) !== 0) {
    const reasons = [...validation.failedRules, ...(failOn === 'warning' ? validation.warnings : [])];
    core.setFailed(`data validation failed (fail-on: ${failOn}): ${reasons.join(', ')}`);
  }
});
