import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLES = join(REPO_ROOT, process.env.MLOPS_TEST_BUNDLES ?? '.test-dist');

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [file, ...args], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ exitCode: code ?? -1, stdout, stderr }));
  });
}

/** Environment without the runner variables of whoever runs the tests (a CI runner sets them too). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('INPUT_') && !key.startsWith('GITHUB_')),
  );
}

/** Runs the bundled `mlops` CLI as a user would, in `cwd`. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return run(join(BUNDLES, 'cli.js'), args, { ...cleanEnv(), ...options.env }, options.cwd ?? REPO_ROOT);
}

export interface ActionRun extends ProcessResult {
  outputs: Record<string, string>;
  summary: string;
  exportedEnv: Record<string, string>;
  workspace: string;
}

/** Parses the `name<<DELIMITER ... DELIMITER` blocks (and plain `name=value` lines) of GITHUB_OUTPUT/ENV files. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      while (++index < lines.length && lines[index] !== delimiter) body.push(lines[index]);
      values[name] = body.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      values[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return values;
}

/**
 * Runs a bundled action entry exactly as the runner does: INPUT_* variables (names as @actions/core
 * reads them), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV / GITHUB_EVENT_PATH pointing at temp
 * files, the workspace as working directory. Returns what landed in those files.
 */
export async function runAction(
  entry: string,
  inputs: Record<string, string>,
  options: { workspace?: string; event?: unknown; env?: NodeJS.ProcessEnv } = {},
): Promise<ActionRun> {
  const runnerDir = await mkdtemp(join(tmpdir(), 'mlops-runner-'));
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'mlops-workspace-')));
  const files = {
    GITHUB_OUTPUT: join(runnerDir, 'output'),
    GITHUB_STEP_SUMMARY: join(runnerDir, 'summary.md'),
    GITHUB_ENV: join(runnerDir, 'env'),
    GITHUB_EVENT_PATH: join(runnerDir, 'event.json'),
  };
  await Promise.all([
    writeFile(files.GITHUB_OUTPUT, ''),
    writeFile(files.GITHUB_STEP_SUMMARY, ''),
    writeFile(files.GITHUB_ENV, ''),
    writeFile(files.GITHUB_EVENT_PATH, JSON.stringify(options.event ?? {})),
  ]);
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
  const env = {
    ...cleanEnv(),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerDir,
    ...files,
    ...inputEnv,
    ...options.env,
  };
  const result = await run(join(BUNDLES, `${entry}.js`), [], env, workspace);
  return {
    ...result,
    workspace,
    outputs: parseCommandFile(await readFile(files.GITHUB_OUTPUT, 'utf8')),
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    exportedEnv: parseCommandFile(await readFile(files.GITHUB_ENV, 'utf8')),
  };
}
