import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, runCli } from '../support/run-bundle.js';
import { demoData, fixture } from './support.js';

let data: Awaited<ReturnType<typeof demoData>>;
let scratch: string;

beforeAll(async () => {
  data = await demoData(400);
  scratch = await mkdtemp(join(tmpdir(), 'mlops-evaluate-cli-'));
  await writeFile(join(scratch, 'notes.onnx'), 'this is not a model\n');
  const model = await readFile(fixture('own-binary.onnx'));
  await writeFile(join(scratch, 'truncated.onnx'), model.subarray(0, model.length / 2));
  // The demo's test split with one humidity reading typed as text on data row 3.
  const [header, ...rows] = (await readFile(data.test, 'utf8')).trimEnd().split('\n');
  const humidity = header.split(',').indexOf('humidity');
  const cells = rows[2].split(',');
  cells[humidity] = 'oops';
  rows[2] = cells.join(',');
  await writeFile(join(scratch, 'text-cell.csv'), [header, ...rows].join('\n'));
  // The test split with the label copied under another name.
  const label = header.split(',').indexOf('rain_within_4h');
  const original = (await readFile(data.test, 'utf8')).trimEnd().split('\n').slice(1);
  await writeFile(
    join(scratch, 'renamed-label.csv'),
    [`${header},rain_copy`, ...original.map((row) => `${row},${row.split(',')[label]}`)].join('\n'),
  );
  await writeFile(
    join(scratch, 'gap.csv'),
    'temperature_c,humidity,temperature_in_4h_c\n3.5,0.8,4\n2.0,0.7,2.5\n1.0,,1.5\n',
  );
});

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function expectBadInput(args: string[], message: RegExp) {
  const out = join(scratch, `out-${Math.random().toString(36).slice(2)}`);
  const result = await runCli(['evaluate', ...args, '--resamples', '50', '--out', out]);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.exitCode).toBe(2);
  expect(await exists(join(out, 'metrics.json'))).toBe(false);
}

describe('mlops evaluate CLI', () => {
  test('evaluates, writes metrics.json, report.md with Mermaid charts, report.html with SVG; exit 0', async () => {
    const out = join(scratch, 'ok');
    const result = await runCli([
      'evaluate',
      '--model',
      fixture('own-binary.onnx'),
      '--data',
      data.test,
      '--target',
      'rain_within_4h',
      '--baseline',
      fixture('own-binary-baseline.onnx'),
      '--slice',
      'station',
      '--resamples',
      '100',
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = await readFile(join(out, 'report.md'), 'utf8');
    expect(report).toContain('```mermaid\nxychart-beta');
    expect(report).toContain('Against the baseline');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')).bootstrap.resamples).toBe(100);
  });

  test('a model evaluated against another column than it was trained for: a warning, still exit 0', async () => {
    const out = join(scratch, 'renamed');
    const result = await runCli([
      'evaluate',
      '--model',
      fixture('own-binary.onnx'),
      '--data',
      join(scratch, 'renamed-label.csv'),
      '--target',
      'rain_copy',
      '--resamples',
      '20',
      '--out',
      out,
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(
      /warning: .*own-binary\.onnx was trained to predict "rain_within_4h", and is evaluated against "rain_copy"/,
    );
  });
  test('a file that is not ONNX', () =>
    expectBadInput(
      ['--model', join(scratch, 'notes.onnx'), '--data', data.test, '--target', 'rain_within_4h'],
      /notes\.onnx: not an ONNX model/,
    ));
  test('a truncated model', () =>
    expectBadInput(
      ['--model', join(scratch, 'truncated.onnx'), '--data', data.test, '--target', 'rain_within_4h'],
      /truncated\.onnx: not an ONNX model/,
    ));
  test('external data outside the model folder is refused', () =>
    expectBadInput(
      ['--model', fixture('external-escape.onnx'), '--data', data.test, '--target', 'rain_within_4h'],
      /external-escape\.onnx: refusing to load.*outside the model's folder/,
    ));
  test('a missing target column', () =>
    expectBadInput(
      ['--model', fixture('own-binary.onnx'), '--data', data.test, '--target', 'rain_tomorrow'],
      /column "rain_tomorrow".*columns: timestamp, station/,
    ));
  test('labels the model never saw', () =>
    expectBadInput(
      ['--model', fixture('own-binary.onnx'), '--data', data.test, '--target', 'weather_type'],
      /row 1, column "weather_type": label "\w+" is not one of the model's classes \(0, 1\)/,
    ));
  test('a numeric input column with a cell of text names the row and the value', () =>
    expectBadInput(
      [
        '--model',
        fixture('own-binary.onnx'),
        '--data',
        join(scratch, 'text-cell.csv'),
        '--target',
        'rain_within_4h',
      ],
      /text-cell\.csv, row 3, column "humidity": "oops" is not a number, though \d+ of the column's \d+ values are \(1 such cell\(s\)\)/,
    ));
  test("--predictions onto one of the run's own files, or onto a folder: exit 2 and no reports", async () => {
    for (const [predictions, message] of [
      [(out: string) => join(out, 'metrics.json'), /would overwrite this run's metrics\.json/],
      [() => scratch, /cannot write the output: is a folder/],
    ] as const) {
      const out = join(scratch, `out-${Math.random().toString(36).slice(2)}`);
      const args = ['--model', fixture('own-binary.onnx'), '--data', data.test, '--target', 'rain_within_4h'];
      const result = await runCli([
        'evaluate',
        ...args,
        '--resamples',
        '20',
        '--out',
        out,
        '--predictions',
        predictions(out),
      ]);
      expect(result.stderr).toMatch(message);
      expect(result.exitCode).toBe(2);
      expect(await exists(out)).toBe(false);
    }
  });
  test('NaN predictions', () =>
    expectBadInput(
      [
        '--model',
        fixture('nan-regressor.onnx'),
        '--data',
        join(scratch, 'gap.csv'),
        '--target',
        'temperature_in_4h_c',
      ],
      /nan-regressor\.onnx, row 3: the model predicted NaN/,
    ));
  test('a matrix-input model without --features names its inputs and the data columns', () =>
    expectBadInput(
      ['--model', fixture('skl2onnx-binary.onnx'), '--data', data.test, '--target', 'rain_within_4h'],
      /no column named "float_input"; .*--features.*model inputs: float_input: float\[\?,3\]; data columns: timestamp/,
    ));
  test('--features of the wrong length', () =>
    expectBadInput(
      [
        '--model',
        fixture('skl2onnx-binary.onnx'),
        '--data',
        data.test,
        '--target',
        'rain_within_4h',
        '--features',
        'humidity',
      ],
      /takes 3 features per row but 1 were given/,
    ));
});

describe('evaluate action', () => {
  test('writes the files, sets metrics/report/headline outputs and the job summary', async () => {
    const run = await runAction('evaluate', {
      model: fixture('own-regressor.onnx'),
      data: data.test,
      target: 'temperature_in_4h_c',
      slices: 'station',
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.metrics).toBe(join('mlops-out', 'metrics.json'));
    const metrics = JSON.parse(await readFile(join(run.workspace, run.outputs.metrics), 'utf8'));
    expect(Number(run.outputs.rmse)).toBe(metrics.metrics.rmse.value);
    expect(Number(run.outputs['latency-p95-ms'])).toBeGreaterThan(0);
    expect(run.summary).toContain('## Evaluation');
  });

  test('a release: baseline is bad usage until publish can fetch it', async () => {
    const run = await runAction('evaluate', {
      model: fixture('own-regressor.onnx'),
      data: data.test,
      target: 'temperature_in_4h_c',
      baseline: 'release:latest',
    });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain('not built yet');
  });
});
