// Writes the `runs:` block of every actions/<name>/action.yml from its inputs and outputs, so the shared
// runtime steps stay identical and every input reaches the entry through env: (never ${{ }} in a script).
// `--check` exits 1 instead of writing when a file is out of date.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The variable @actions/core's getInput reads for an input name. */
export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export function runtimeSteps(entry, inputs) {
  return [
    { id: 'runtime', shell: 'bash', run: 'bash "$GITHUB_ACTION_PATH/../../scripts/runtime/prepare.sh"' },
    {
      if: "steps.runtime.outputs.needs-node == 'true'",
      uses: 'actions/setup-node@v4',
      with: { 'node-version': 20 },
    },
    {
      id: 'cache',
      uses: 'actions/cache@v4',
      with: { path: '${{ steps.runtime.outputs.modules }}', key: '${{ steps.runtime.outputs.key }}' },
    },
    {
      if: "steps.cache.outputs.cache-hit != 'true'",
      shell: 'bash',
      run: 'bash "$GITHUB_ACTION_PATH/../../scripts/runtime/install.sh"',
    },
    {
      id: 'run',
      shell: 'bash',
      run: `node "$GITHUB_ACTION_PATH/../../dist/${entry}.js"`,
      env: Object.fromEntries(inputs.map((name) => [inputVariable(name), `\${{ inputs.${name} }}`])),
    },
  ];
}

const check = process.argv.includes('--check');
let stale = 0;
for (const entry of readdirSync('actions')) {
  const path = join('actions', entry, 'action.yml');
  const source = readFileSync(path, 'utf8');
  const document = parseDocument(source);
  const inputs = Object.keys(document.get('inputs')?.toJSON() ?? {});
  for (const output of document.get('outputs')?.items ?? []) {
    output.value.set('value', `\${{ steps.run.outputs.${output.key.value} }}`);
  }
  document.set('runs', { using: 'composite', steps: runtimeSteps(entry, inputs) });
  const text = document.toString({ lineWidth: 0 });
  if (text === source) continue;
  stale++;
  if (check) console.error(`${path} is out of date: run npm run package`);
  else writeFileSync(path, text);
}
if (check && stale) process.exit(1);
