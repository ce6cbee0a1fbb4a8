import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/run-bundle.js';

export const FIXTURES = join(REPO_ROOT, 'tests/fixtures/gate');

/** A repository checkout with the gate's inputs where a workflow would have them: ml/policy.yml, mlops-out/*.json. */
export async function gateWorkspace(policyFixture = 'policy.yml'): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'mlops-gate-'));
  await mkdir(join(workspace, 'ml'));
  await mkdir(join(workspace, 'evaluated'));
  await copyFile(join(FIXTURES, policyFixture), join(workspace, 'ml/policy.yml'));
  await copyFile(join(FIXTURES, 'metrics.json'), join(workspace, 'evaluated/metrics.json'));
  await copyFile(join(FIXTURES, 'validation.json'), join(workspace, 'evaluated/validation.json'));
  return workspace;
}

/** The 1-based line of the first line matching `pattern` after the line matching `after` (found in the text, not in our output). */
export async function lineIn(file: string, after: RegExp, pattern: RegExp): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const start = lines.findIndex((line) => after.test(line));
  const index = lines.findIndex((line, at) => at >= start && pattern.test(line));
  if (start < 0 || index < 0) throw new Error(`no line matching ${pattern} after ${after} in ${file}`);
  return index + 1;
}
