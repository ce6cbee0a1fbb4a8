import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, runCli } from '../support/run-bundle.js';
import { assertMatchesSchema } from '../../src/core/json-schema.js';
import trainingSchema from '../../schemas/training.schema.json' with { type: 'json' };

let dir: string;
let modelFile: string;
const file = (name: string) => join(dir, name);

/** A stand-in for the user's trainer: records its MLOPS_* environment and copies a model into place. */
const TRAINER = `
const fs = require('node:fs');
const path = require('node:path');
const out = process.env.MLOPS_OUTPUT_DIR;
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('MLOPS_')));
fs.writeFileSync(path.join(out, 'env.json'), JSON.stringify(env));
console.log('trainer: fitting');
console.error('trainer: a warning');
fs.copyFileSync(process.argv[2], path.join(out, 'model.onnx'));
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-train-command-'));
  const rows = Array.from({ length: 40 }, (_, row) => `${row},${(row * 7) % 11},${row % 2 ? 'wet' : 'dry'}`);
  await writeFile(file('data.csv'), `a,b,label_text\n${rows.join('\n')}\n`);
  await writeFile(file('trainer.cjs'), TRAINER);
  const built = await runCli([
    'train',
    '--data',
    file('data.csv'),
    '--target',
    'label_text',
    '--algorithm',
    'logistic-regression',
    '--out',
    file('built'),
  ]);
  expect(built.exitCode).toBe(0);
  modelFile = join(file('built'), 'model.onnx');
});

describe('mlops train --command', () => {
  test('runs the trainer with the MLOPS_* environment, streams its output, records the model', async () => {
    const out = file('cmd-ok');
    const command = `node ${file('trainer.cjs')} ${modelFile}`;
    const { exitCode, stdout, stderr } = await runCli([
      'train',
      '--command',
      command,
      '--data',
      file('data.csv'),
      '--target',
      'label_text',
      '--param',
      'depth=3',
      '--param',
      'name=a b',
      '--seed',
      '11',
      '--out',
      out,
    ]);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('trainer: fitting');
    expect(stderr).toContain('trainer: a warning');
    const env = JSON.parse(await readFile(join(out, 'env.json'), 'utf8'));
    expect(env).toMatchObject({
      MLOPS_DATA: file('data.csv'),
      MLOPS_TARGET: 'label_text',
      MLOPS_OUTPUT_DIR: out,
      MLOPS_PARAMS: JSON.stringify({ depth: '3', name: 'a b' }),
      MLOPS_SEED: '11',
    });
    const training = JSON.parse(await readFile(join(out, 'training.json'), 'utf8'));
    assertMatchesSchema(trainingSchema, training, 'training.json');
    const modelBytes = await readFile(modelFile);
    expect(training).toMatchObject({
      mode: 'command',
      command,
      exitCode: 0,
      seed: 11,
      target: 'label_text',
      model: { sha256: createHash('sha256').update(modelBytes).digest('hex'), bytes: modelBytes.length },
    });
    expect(training.model.inputs.map((input: { name: string }) => input.name)).toEqual(['a', 'b']);
    expect(training.model.outputs.map((output: { name: string }) => output.name)).toEqual([
      'label',
      'probabilities',
    ]);
    expect(training.durationMs).toBeGreaterThanOrEqual(0);
  });

  test.each([
    ['a failing command', 'node -e "process.exit(3)"', /the training command failed with exit code 3/],
    ['a command that writes no model', 'node -e "0"', /wrote no model.onnx/],
    [
      'a command killed by a signal',
      `node -e "process.kill(process.pid, 'SIGKILL')"`,
      /the training command failed with exit code 137 \(killed by SIGKILL, which is often the out-of-memory killer\)/,
    ],
    [
      'a model that is not ONNX',
      `node -e "require('fs').writeFileSync(process.env.MLOPS_OUTPUT_DIR + '/model.onnx', 'not a model')"`,
      /model.onnx: not a valid ONNX model/,
    ],
  ])('%s is exit 2 and leaves no training.json', async (_name, command, message) => {
    const out = file(`cmd-${Math.random().toString(36).slice(2)}`);
    const { exitCode, stderr } = await runCli(['train', '--command', command, '--out', out]);
    expect(stderr).toMatch(message);
    expect(exitCode).toBe(2);
    expect(await readdir(out)).not.toContain('training.json');
  });

  test.each([
    ['--algorithm', 'random-forest'],
    ['--features', 'a,b'],
  ])('%s with --command is bad usage (the command decides)', async (option, value) => {
    const { exitCode, stderr } = await runCli([
      'train',
      '--command',
      'node -e "0"',
      option,
      value,
      '--out',
      file('never'),
    ]);
    expect(stderr).toMatch(/applies to the built-in trainers only/);
    expect(exitCode).toBe(2);
  });

  test('a model.onnx left from an earlier run does not count as written', async () => {
    const out = file('cmd-stale');
    await runCli(['train', '--command', `node ${file('trainer.cjs')} ${modelFile}`, '--out', out]);
    const { exitCode, stderr } = await runCli(['train', '--command', 'node -e "0"', '--out', out]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('from an earlier run');
  });
});

describe('train action', () => {
  test('trains, sets the model and training outputs, and writes the job summary with the curve', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'mlops-train-ws-'));
    await copyFile(file('data.csv'), join(workspace, 'data.csv'));
    const run = await runAction(
      'train',
      {
        data: 'data.csv',
        target: 'label_text',
        algorithm: 'logistic-regression',
        params: 'C=0.5\nmax_iter=50\n',
        seed: '5',
        out: 'out',
      },
      { workspace },
    );
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ model: join('out', 'model.onnx'), training: join('out', 'training.json') });
    const training = JSON.parse(await readFile(join(workspace, 'out', 'training.json'), 'utf8'));
    expect(training.params).toMatchObject({ C: 0.5, max_iter: 50 });
    expect(run.summary).toContain('## Training: logistic-regression');
    expect(run.summary).toContain('C=0.5, max_iter=50');
    expect(run.summary).toMatch(/\| rows \| \d+ train, \d+ validation/);
    expect(run.summary).toContain('```mermaid\nxychart-beta');
  });

  test('bad input fails the step with exit 2', async () => {
    const run = await runAction('train', {
      data: 'nothing.csv',
      target: 'y',
      algorithm: 'linear-regression',
    });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain('::error::nothing.csv: file not found');
  });
});
