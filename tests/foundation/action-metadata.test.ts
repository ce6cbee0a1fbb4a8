import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/run-bundle.js';

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface ActionMetadata {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const ACTIONS = ['validate-data', 'train', 'evaluate', 'gate', 'publish'];
const actionsDir = join(REPO_ROOT, 'actions');

function load(name: string): ActionMetadata {
  return parse(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8')) as ActionMetadata;
}

describe('actions/*/action.yml', () => {
  test('there is one composite action per job of the contract', () => {
    expect(readdirSync(actionsDir).sort()).toEqual([...ACTIONS].sort());
  });

  describe.each(ACTIONS)('%s', (name) => {
    const action = load(name);
    const runStep = action.runs.steps.find((step) => step.run?.includes('/dist/'))!;

    test('has a name, description, branding and a documented input for each option', () => {
      expect(action.name).toBe(`mlops ${name}`);
      expect(action.description.length).toBeGreaterThan(20);
      expect(action.branding.icon).toBeTruthy();
      for (const [input, spec] of Object.entries(action.inputs)) {
        expect([input, spec.description?.length > 10]).toEqual([input, true]);
      }
    });

    test('maps every input into the entry through env: as the INPUT_* variable @actions/core reads', () => {
      const expected = Object.fromEntries(
        Object.keys(action.inputs).map((input) => [
          `INPUT_${input.toUpperCase()}`,
          `\${{ inputs.${input} }}`,
        ]),
      );
      expect(runStep.env).toEqual(expected);
      expect(runStep.run).toBe(`node "$GITHUB_ACTION_PATH/../../dist/${name}.js"`);
    });

    test('never puts an expression inside a run: script (script injection)', () => {
      const offending = action.runs.steps.filter((step) => step.run?.includes('${{'));
      expect(offending).toEqual([]);
    });

    test('declares outputs that come from the entry step', () => {
      expect(Object.keys(action.outputs).length).toBeGreaterThan(0);
      for (const [output, spec] of Object.entries(action.outputs)) {
        expect(spec.value).toBe(`\${{ steps.run.outputs.${output} }}`);
      }
    });

    test('installs the native runtime into the action folder, cached on OS, architecture and versions', () => {
      const cache = action.runs.steps.find((step) => step.uses?.startsWith('actions/cache@'))!;
      expect(cache.with).toEqual({
        path: '${{ steps.runtime.outputs.modules }}',
        key: '${{ steps.runtime.outputs.key }}',
      });
      const setupNode = action.runs.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
      expect(setupNode).toMatchObject({ if: "steps.runtime.outputs.needs-node == 'true'" });
    });
  });
});
