import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-bundle.js';

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('mlops demo', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'mlops-demo-run-'));
    out = join(cwd, 'mlops-out');
    run = await runCli(['demo'], { cwd });
  }, 120000);

  test('runs the whole chain offline and exits with the gate verdict (0: passed)', () => {
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('8/8 gate');
  });

  test('the training data passes its drafted contract; the drifted production sample is caught', async () => {
    const train = await readJson(join(out, 'validate', 'validation.json'));
    const production = await readJson(join(out, 'validate-production', 'validation.json'));
    expect(train.passed).toBe(true);
    expect(production.passed).toBe(false);
    expect(production.failedRules).toEqual(
      expect.arrayContaining(['station.enum', 'pressure_millibars.minimum']),
    );
    expect(production.driftedColumns).toContain('temperature_c');
  });

  test('the candidate beats the baseline on the same rows, and the gate records every rule', async () => {
    const metrics = await readJson(join(out, 'evaluate', 'metrics.json'));
    const [baseline] = metrics.comparisons;
    expect(baseline.role).toBe('baseline');
    expect(baseline.deltas.roc_auc.interval[0]).toBeGreaterThan(0);
    const gate = await readJson(join(out, 'gate', 'gate.json'));
    expect(gate.passed).toBe(true);
    expect(gate.rules.map((rule: { name: string }) => rule.name)).toEqual(
      expect.arrayContaining(['roc_auc.min', 'roc_auc.max_drop', 'data.validation_must_pass']),
    );
    const predictions = (await readFile(join(out, 'evaluate', 'predictions.csv'), 'utf8')).trim().split('\n');
    expect(predictions[0]).toBe('actual,predicted,prob_0,prob_1');
    expect(predictions.length - 1).toBe(metrics.n);
  });
});
