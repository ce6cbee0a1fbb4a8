import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { runCli } from '../support/run-bundle.js';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-train-cli-'));
  const rows = Array.from(
    { length: 30 },
    (_, row) => `${row},${row % 4},c${row % 3},${row % 2 ? 'right' : 'left'},7,only,${(row / 7).toFixed(3)}`,
  );
  await writeFile(file('data.csv'), `x,group,colour,answer,constant,single,ratio\n${rows.join('\n')}\n`);
  await writeFile(file('header-only.csv'), 'x,y\n');
  await writeFile(file('empty.csv'), '');
  await writeFile(file('dates.csv'), 'day,y\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n');
  const measured = Array.from({ length: 30 }, (_, row) => `${row === 2 ? 'oops' : row / 4},${row % 3}`);
  await writeFile(file('text-cell.csv'), `x,y\n${measured.join('\n')}\n`);
  await writeFile(file('ragged.csv'), 'x,y\n1,2\n3,4,5\n6,7\n');
  await writeFile(
    file('constant.csv'),
    `x,y\n${Array.from({ length: 30 }, (_, row) => `${row},5.0`).join('\n')}\n`,
  );
  // Rows flushed at a row boundary and the rest of the stream lost: DuckDB alone reads the rows it has.
  await writeFile(
    file('cut.csv.gz'),
    gzipSync(`x,y\n${'1,2\n'.repeat(100)}`, { finishFlush: constants.Z_SYNC_FLUSH }),
  );
});

describe('mlops train: bad input is exit 2 with a message naming the problem, and no output', () => {
  test.each([
    [
      'an unknown algorithm lists the valid ones',
      ['--algorithm', 'xgboost', '--target', 'answer'],
      /unknown algorithm "xgboost"; valid algorithms: logistic-regression, linear-regression/,
    ],
    [
      'an unknown parameter lists the valid ones',
      ['--algorithm', 'logistic-regression', '--target', 'answer', '--param', 'penalty=l1'],
      /key "penalty": unknown parameter for logistic-regression; valid parameters: C, max_iter, tol, validation_fraction/,
    ],
    [
      'a bad parameter value names the key',
      ['--algorithm', 'logistic-regression', '--target', 'answer', '--param', 'C=-1'],
      /key "C": must be a number > 0, got "-1"/,
    ],
    [
      'a parameter without =',
      ['--algorithm', 'linear-regression', '--target', 'x', '--param', 'alpha'],
      /parameter must look like key=value/,
    ],
    [
      'a missing target column',
      ['--algorithm', 'logistic-regression', '--target', 'nope'],
      /column "nope": the target needs column "nope", which the data lacks/,
    ],
    [
      'a constant target',
      ['--algorithm', 'linear-regression', '--target', 'constant'],
      /column "constant": the target is constant/,
    ],
    [
      'a single class',
      ['--algorithm', 'logistic-regression', '--target', 'single'],
      /column "single": target has a single class \("only"\)/,
    ],
    [
      'a text target for regression',
      ['--algorithm', 'linear-regression', '--target', 'answer'],
      /column "answer": linear-regression needs a numeric target/,
    ],
    [
      'a continuous target for a classifier',
      ['--algorithm', 'logistic-regression', '--target', 'ratio'],
      /column "ratio": logistic-regression is a classifier, but the target holds non-integer numbers/,
    ],
    [
      'an unknown feature',
      ['--algorithm', 'logistic-regression', '--target', 'answer', '--features', 'x,ghost'],
      /column "ghost": feature column not found/,
    ],
    [
      'a bad seed',
      ['--algorithm', 'logistic-regression', '--target', 'answer', '--seed', '-3'],
      /key "seed": must be a whole number/,
    ],
  ])('%s', async (_name, args, message) => {
    const out = file(`out-${Math.random().toString(36).slice(2)}`);
    const { exitCode, stderr } = await runCli(['train', '--data', file('data.csv'), ...args, '--out', out]);
    expect(stderr).toMatch(message);
    expect(exitCode).toBe(2);
    expect(stderr).not.toMatch(/\n\s+at /);
    await expect(readdir(out)).rejects.toThrow();
  });

  test.each([
    ['header-only.csv', 'y', /header-only.csv: the data has no rows/],
    ['empty.csv', 'y', /empty.csv: file is empty/],
    ['missing.csv', 'y', /missing.csv: file not found/],
    ['dates.csv', 'y', /no usable feature columns/],
    ['cut.csv.gz', 'y', /cut.csv.gz: truncated or corrupt gzip stream/],
    [
      'text-cell.csv',
      'y',
      /text-cell.csv, row 3, column "x": "oops" is not a number, though 29 of the column's 30 values are/,
    ],
    [
      'constant.csv',
      'y',
      /constant.csv, column "y": the target is constant \(5\); there is nothing to learn/,
    ],
    ['ragged.csv', 'y', /ragged.csv, row 2: cannot read as csv: has 3 fields, but the header has 2$/m],
  ])('data %s', async (name, target, message) => {
    const { exitCode, stderr } = await runCli([
      'train',
      '--data',
      file(name),
      '--target',
      target,
      '--algorithm',
      'linear-regression',
      '--out',
      file('never'),
    ]);
    expect(stderr).toMatch(message);
    expect(exitCode).toBe(2);
  });

  test('a constant numeric target is constant for every algorithm (not "a single class")', async () => {
    const { exitCode, stderr } = await runCli([
      'train',
      '--data',
      file('constant.csv'),
      '--target',
      'y',
      '--out',
      file('never'),
    ]);
    expect(stderr).toMatch(/column "y": the target is constant \(5\)/);
    expect(exitCode).toBe(2);
  });

  test('a date column named in --features is refused', async () => {
    const { exitCode, stderr } = await runCli([
      'train',
      '--data',
      file('dates.csv'),
      '--target',
      'y',
      '--algorithm',
      'linear-regression',
      '--features',
      'day',
    ]);
    expect(stderr).toMatch(/column "day": a DATE column cannot be a feature/);
    expect(exitCode).toBe(2);
  });

  test('neither --data nor --command is bad usage', async () => {
    const { exitCode, stderr } = await runCli(['train', '--target', 'y', '--algorithm', 'linear-regression']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('--data is required');
  });
});

describe('mlops train: built-in trainer', () => {
  test('writes model.onnx and training.json and prints the validation metrics', async () => {
    const out = file('trained');
    const { exitCode, stdout } = await runCli([
      'train',
      '--data',
      file('data.csv'),
      '--target',
      'answer',
      '--algorithm',
      'logistic-regression',
      '--features',
      'x,colour',
      '--param',
      'C=2',
      '--seed',
      '9',
      '--out',
      out,
    ]);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('trained logistic-regression (binary)');
    expect(stdout).toMatch(/validation \(6 rows\): accuracy/);
    const training = JSON.parse(await readFile(join(out, 'training.json'), 'utf8'));
    expect(training).toMatchObject({ algorithm: 'logistic-regression', seed: 9, classes: ['left', 'right'] });
    expect(training.params.C).toBe(2);
    expect((await readdir(out)).sort()).toEqual(['model.onnx', 'training.json']);
  });
});
