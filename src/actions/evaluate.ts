import * as core from '@actions/core';
import { InputError } from '../core/errors.js';
import { evaluate } from '../core/evaluate/evaluate.js';
import { EVALUATION_FILES, evaluationFiles, headlineOutputs } from '../core/evaluate/outputs.js';
import { refuseOutputClash, writeFileAtomic, writeOutputs } from '../core/io/atomic-write.js';
import { listInput, optionalInput, requiredInput, runAction } from '../github/run-action.js';
import { join } from 'node:path';

/** `release:latest` and `artifact:<name>@<branch>` need the publish issue's fetching; a file path works today. */
function baselinePath(value: string | undefined): string | undefined {
  if (value && /^(release|artifact):/.test(value)) {
    throw new InputError(
      `baseline "${value}": fetching baselines from releases or artifacts is not built yet; pass a file path`,
      {
        key: 'baseline',
      },
    );
  }
  return value;
}

await runAction(async () => {
  const out = optionalInput('out') ?? 'mlops-out';
  const predictions = optionalInput('predictions');
  const features = optionalInput('features')
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (predictions) refuseOutputClash(predictions, out, EVALUATION_FILES, 'predictions');
  const { document, predictionsCsv, warnings } = await evaluate({
    model: requiredInput('model'),
    data: requiredInput('data'),
    target: requiredInput('target'),
    baseline: baselinePath(optionalInput('baseline')),
    slices: listInput('slices'),
    features: features?.length ? features : undefined,
    predictions: Boolean(predictions),
  });
  for (const warning of warnings) core.warning(warning);
  const files = evaluationFiles(document);
  // The predictions first: a path they cannot take stops the step before any report is written.
  if (predictions && predictionsCsv !== null) await writeFileAtomic(predictions, predictionsCsv);
  await writeOutputs(out, files);
  core.setOutput('metrics', join(out, 'metrics.json'));
  core.setOutput('report', join(out, 'report.html'));
  for (const [name, value] of Object.entries(headlineOutputs(document))) core.setOutput(name, value);
  await core.summary.addRaw(files['report.md']).write();
});
