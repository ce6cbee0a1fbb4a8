import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../support/run-bundle.js';
import { TOOL_VERSION } from '../../src/core/version.js';

const CONTRACT_COMMANDS = ['validate-data', 'train', 'evaluate', 'gate', 'publish', 'demo'];

describe('mlops CLI', () => {
  test('--help lists every command of the contract and exits 0', async () => {
    const { exitCode, stdout } = await runCli(['--help']);
    expect(exitCode).toBe(0);
    for (const command of CONTRACT_COMMANDS) expect(stdout).toMatch(new RegExp(`^\\s+${command} `, 'm'));
  });

  test.each(CONTRACT_COMMANDS)('%s --help documents its options and exits 0', async (command) => {
    const { exitCode, stdout } = await runCli([command, '--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`Usage: mlops ${command}`);
    expect(stdout).toContain('--out <dir>');
  });

  test('--version prints the package version', async () => {
    const packageJson = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8'));
    const { exitCode, stdout } = await runCli(['--version']);
    expect(exitCode).toBe(0);
    expect(stdout.trim()).toBe(packageJson.version);
    expect(TOOL_VERSION).toBe(packageJson.version);
  });

  test('an unknown command is bad usage: exit 2, message on stderr, no stack trace', async () => {
    const { exitCode, stderr } = await runCli(['retrain-everything']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("unknown command 'retrain-everything'");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('a missing required option is bad usage: exit 2', async () => {
    const { exitCode, stderr } = await runCli(['evaluate', '--model', 'model.onnx']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("required option '--data <file>' not specified");
  });

  test('a bad option value names the option and exits 2 without a stack trace', async () => {
    const { exitCode, stderr } = await runCli(['demo-data', '--rows', 'many']);
    expect(exitCode).toBe(2);
    expect(stderr).toBe('error: --rows must be a positive whole number, got "many"\n');
  });

  test('publish takes its own --version option, not the program version flag', async () => {
    const { exitCode, stdout, stderr } = await runCli([
      'publish',
      '--model',
      'm.onnx',
      '--name',
      'rain',
      '--version',
      '1.2.0',
    ]);
    expect(stdout).not.toContain(TOOL_VERSION);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('"mlops publish" is not built yet');
  });
});
