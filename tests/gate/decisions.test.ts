import { evaluateGate } from '../../src/core/gate/evaluate-gate.js';
import type { GateMetrics, GateValidation, Interval } from '../../src/core/gate/gate-inputs.js';
import type { GateCheck } from '../../src/core/gate/gate-result.js';
import { parsePolicy } from '../../src/core/gate/parse-policy.js';

/** metrics.json with one candidate metric and, optionally, a paired delta against a baseline. */
function metricsWith(
  name: string,
  value: number | null,
  interval: Interval,
  paired?: { baseline: number; delta: number; interval: Interval },
): GateMetrics {
  return {
    task: 'binary',
    n: 10000,
    metrics: { [name]: { value, interval } },
    comparisons: paired
      ? [
          {
            role: 'baseline',
            name: 'v1',
            metrics: { [name]: { value: paired.baseline, interval: null } },
            deltas: { [name]: { delta: paired.delta, interval: paired.interval } },
          },
        ]
      : [],
  };
}

function gate(policyYaml: string, metrics: GateMetrics, validation?: GateValidation, today = '2026-06-01') {
  return evaluateGate({
    name: 'gate',
    policy: parsePolicy(policyYaml, 'policy.yml'),
    metrics,
    validation,
    today,
  });
}

function only(checks: GateCheck[], name: string): GateCheck {
  const found = checks.filter((check) => check.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('metric rules', () => {
  const regression = { baseline: 0.88, delta: -0.012, interval: [-0.02, -0.004] as Interval };
  const noisyDrop = { baseline: 0.88, delta: -0.012, interval: [-0.03, 0.006] as Interval };

  test('decide_on interval fails a drop only when the whole interval of the drop is beyond max_drop', () => {
    const policy = 'metrics:\n  - metric: roc_auc\n    max_drop: 0.002\n';
    const clear = gate(policy, metricsWith('roc_auc', 0.868, null, regression));
    expect(only(clear.rules, 'roc_auc.max_drop')).toMatchObject({
      verdict: 'fail',
      observed: expect.closeTo(0.012, 10),
      interval: [expect.closeTo(0.004, 10), expect.closeTo(0.02, 10)],
      baseline: 0.88,
      decidedOn: 'interval',
      line: 3,
    });
    expect(clear.passed).toBe(false);
    const noisy = gate(policy, metricsWith('roc_auc', 0.868, null, noisyDrop));
    expect(only(noisy.rules, 'roc_auc.max_drop')).toMatchObject({ verdict: 'pass', inconclusive: true });
    expect(noisy.passed).toBe(true);
  });

  test('decide_on point fails on the point estimate alone', () => {
    const policy = 'metrics:\n  - metric: roc_auc\n    max_drop: 0.002\n    decide_on: point\n';
    const noisy = gate(policy, metricsWith('roc_auc', 0.868, null, noisyDrop));
    expect(only(noisy.rules, 'roc_auc.max_drop')).toMatchObject({ verdict: 'fail', decidedOn: 'point' });
  });

  test('an unwritten max_drop defaults to "not significantly worse" when the delta has an interval', () => {
    const policy = 'metrics:\n  - metric: roc_auc\n    min: 0.5\n';
    expect(
      only(gate(policy, metricsWith('roc_auc', 0.868, null, regression)).rules, 'roc_auc.max_drop'),
    ).toMatchObject({
      verdict: 'fail',
      threshold: 0,
    });
    const gain = { baseline: 0.86, delta: 0.008, interval: [-0.001, 0.017] as Interval };
    expect(
      only(gate(policy, metricsWith('roc_auc', 0.868, null, gain)).rules, 'roc_auc.max_drop').verdict,
    ).toBe('pass');
    const unpaired = { ...regression, interval: null };
    expect(
      gate(policy, metricsWith('roc_auc', 0.868, null, unpaired)).rules.map((check) => check.check),
    ).toEqual(['min']);
    const disabled = 'metrics:\n  - metric: roc_auc\n    min: 0.5\n    max_drop: null\n';
    expect(
      gate(disabled, metricsWith('roc_auc', 0.868, null, regression)).rules.map((check) => check.check),
    ).toEqual(['min']);
  });

  test('lower-is-better metrics: a rise is the drop', () => {
    const policy = 'metrics:\n  - metric: log_loss\n    max_drop: 0.01\n';
    const worse = { baseline: 0.3, delta: 0.05, interval: [0.03, 0.07] as Interval };
    expect(
      only(gate(policy, metricsWith('log_loss', 0.35, null, worse)).rules, 'log_loss.max_drop'),
    ).toMatchObject({
      verdict: 'fail',
      observed: 0.05,
    });
    const better = { baseline: 0.3, delta: -0.05, interval: [-0.07, -0.03] as Interval };
    expect(
      only(gate(policy, metricsWith('log_loss', 0.25, null, better)).rules, 'log_loss.max_drop').verdict,
    ).toBe('pass');
  });

  test('max_relative_drop scales the drop by the baseline value', () => {
    const policy = 'metrics:\n  - metric: f1\n    max_relative_drop: 0.01\n';
    const drop = { baseline: 0.6, delta: -0.03, interval: [-0.04, -0.02] as Interval };
    const check = only(gate(policy, metricsWith('f1', 0.57, null, drop)).rules, 'f1.max_relative_drop');
    expect(check.observed).toBeCloseTo(0.05, 10);
    expect(check.verdict).toBe('fail');
    expect(gate(policy, metricsWith('f1', 0.57, null, drop)).rules).toHaveLength(1);
  });

  test('absolute bounds: interval decides by default, a point without interval decides alone; severity warn warns', () => {
    const policy =
      'metrics:\n  - metric: roc_auc\n    min: 0.85\n  - metric: latency_p95_ms\n    max: 20\n    severity: warn\n';
    const metrics = metricsWith('roc_auc', 0.84, [0.83, 0.86]);
    metrics.metrics.latency_p95_ms = { value: 25, interval: null };
    const result = gate(policy, metrics);
    expect(only(result.rules, 'roc_auc.min')).toMatchObject({ verdict: 'pass', inconclusive: true });
    expect(only(result.rules, 'latency_p95_ms.max')).toMatchObject({ verdict: 'warn', decidedOn: 'point' });
    expect(result).toMatchObject({ verdict: 'warn', passed: true });
  });

  test('a metric named in the policy but absent from metrics.json fails with a clear reason', () => {
    const result = gate(
      'metrics:\n  - metric: pr_auc\n    min: 0.3\n    severity: warn\n',
      metricsWith('roc_auc', 0.9, null),
    );
    expect(only(result.rules, 'pr_auc.present')).toMatchObject({ verdict: 'fail', line: 2 });
    expect(result.rules[0].reason).toBe('pr_auc is not in metrics.json (it has: roc_auc)');
  });

  test('model_size_bytes falls back to the model file size; an explicit max_drop without a baseline warns', () => {
    const metrics = { ...metricsWith('roc_auc', 0.9, null), model: { sizeBytes: 2_000_000 } };
    const result = gate(
      'metrics:\n  - metric: model_size_bytes\n    max: 1000000\n  - metric: roc_auc\n    max_drop: 0.01\n',
      metrics,
    );
    expect(only(result.rules, 'model_size_bytes.max')).toMatchObject({
      verdict: 'fail',
      observed: 2_000_000,
    });
    expect(only(result.rules, 'roc_auc.max_drop').verdict).toBe('warn');
  });
});

describe('slice rules', () => {
  const metrics: GateMetrics = {
    ...metricsWith('f1', 0.7, null),
    slices: [
      { column: 'city', label: 'turku', n: 5000, metrics: { f1: { value: 0.75, interval: [0.72, 0.78] } } },
      { column: 'city', label: 'naantali', n: 900, metrics: { f1: { value: 0.6, interval: [0.55, 0.65] } } },
      { column: 'city', label: 'kemi', n: 30, metrics: { f1: { value: 0.1, interval: [0, 0.3] } } },
      { column: 'hour', label: '3', n: 900, metrics: { f1: { value: 0.1, interval: [0.05, 0.15] } } },
    ],
  };

  test('every slice of the column is judged; slices below min_rows are skipped, other columns ignored', () => {
    const result = gate(
      'slices:\n  - column: city\n    metric: f1\n    min: 0.7\n    min_rows: 100\n',
      metrics,
    );
    expect(result.rules.map((check) => [check.name, check.verdict])).toEqual([
      ['f1@city=turku.min', 'pass'],
      ['f1@city=naantali.min', 'fail'],
      ['f1@city=kemi.min_rows', 'pass'],
    ]);
    expect(only(result.rules, 'f1@city=naantali.min')).toMatchObject({
      line: 4,
      slice: { column: 'city', label: 'naantali', n: 900 },
    });
  });

  test('a column without slices fails and says how to get them', () => {
    const result = gate('slices:\n  - column: station\n    metric: f1\n    min: 0.7\n', metrics);
    expect(result.rules[0]).toMatchObject({ name: 'f1@station.present', verdict: 'fail' });
    expect(result.rules[0].reason).toContain('--slice station');
  });
});

describe('data rules', () => {
  const metrics = metricsWith('f1', 0.7, null);
  const validation = (passed: boolean, driftedColumns: string[]): GateValidation => ({
    passed,
    failedRules: passed ? [] : ['humidity.range'],
    driftedColumns,
  });

  test('validation must pass and drifted columns are counted against the limit', () => {
    const policy = 'data:\n  validation_must_pass: true\n  max_drifted_columns: 1\n';
    const result = gate(policy, metrics, validation(false, ['a', 'b']));
    expect(result.rules.map((check) => [check.name, check.verdict, check.observed])).toEqual([
      ['data.validation_must_pass', 'fail', false],
      ['data.max_drifted_columns', 'fail', 2],
    ]);
    expect(result.rules[0].reason).toContain('humidity.range');
    expect(gate(policy, metrics, validation(true, ['a'])).passed).toBe(true);
  });

  test('data rules without validation.json fail; validation.json without data rules must still have passed', () => {
    expect(gate('data:\n  max_drifted_columns: 0\n', metrics).rules.map((check) => check.verdict)).toEqual([
      'fail',
      'fail',
    ]);
    const implied = gate('metrics:\n  - metric: f1\n    min: 0.5\n', metrics, validation(false, []));
    expect(only(implied.rules, 'data.validation_must_pass')).toMatchObject({ verdict: 'fail' });
    expect(implied.rules.find((check) => check.rule === 'data')!.line).toBeUndefined();
  });
});

describe('waivers', () => {
  const policy = (until: string, rule = 'roc_auc') =>
    `metrics:\n  - metric: roc_auc\n    min: 0.9\n    decide_on: point\nwaivers:\n  - rule: ${rule}\n    until: ${until}\n    reason: new station\n`;
  const metrics = metricsWith('roc_auc', 0.85, null);

  test('an unexpired waiver turns a failure into a marked pass, through its last day', () => {
    const result = gate(policy('2026-06-01'), metrics, undefined, '2026-06-01');
    expect(result.passed).toBe(true);
    expect(result.rules[0]).toMatchObject({
      verdict: 'pass',
      waived: true,
      waiver: { until: '2026-06-01', reason: 'new station' },
    });
    expect(result.waivers[0]).toMatchObject({ expired: false, applied: ['roc_auc.min'] });
  });

  test('an expired waiver no longer applies; a waiver can name one check', () => {
    const expired = gate(policy('2026-05-31'), metrics, undefined, '2026-06-01');
    expect(expired.passed).toBe(false);
    expect(expired.waivers[0]).toMatchObject({ expired: true, applied: [] });
    expect(gate(policy('2026-12-31', 'roc_auc.min'), metrics).passed).toBe(true);
    expect(gate(policy('2026-12-31', 'roc_auc.max_drop'), metrics).passed).toBe(false);
  });
});
