import * as core from '@actions/core';
import { trainingMarkdown } from '../core/report/training-report.js';
import { runTraining } from '../core/train/run-training.js';
import { optionalInput, runAction } from '../github/run-action.js';

await runAction(async () => {
  const outcome = await runTraining({
    data: optionalInput('data'),
    target: optionalInput('target'),
    algorithm: optionalInput('algorithm'),
    features: optionalInput('features'),
    params: core
      .getInput('params')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    seed: optionalInput('seed') ?? '42',
    command: optionalInput('command'),
    out: optionalInput('out') ?? 'mlops-out',
    env: process.env,
  });
  for (const note of outcome.notes) core.notice(note);
  core.setOutput('model', outcome.modelPath);
  core.setOutput('training', outcome.trainingPath);
  await core.summary.addRaw(trainingMarkdown(outcome.training)).write();
});
