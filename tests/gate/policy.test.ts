import { InputError } from '../../src/core/errors.js';
import { parsePolicy } from '../../src/core/gate/parse-policy.js';
import { DEFAULT_MIN_ROWS } from '../../src/core/gate/policy.js';

function problem(text: string): string {
  try {
    parsePolicy(text, 'ml/policy.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('the policy was accepted');
}

describe('policy file', () => {
  test('fills in defaults and records the line of every rule and key', () => {
    const policy = parsePolicy(
      [
        'metrics:',
        '  - metric: roc_auc',
        '    min: 0.85',
        '  - name: fast',
        '    metric: latency_p95_ms',
        '    max: 20',
        '    severity: warn',
        'slices:',
        '  - column: station',
        '    metric: f1',
        '    min: 0.7',
        'data:',
        '  max_drifted_columns: 0',
      ].join('\n'),
      'ml/policy.yml',
    );
    expect(policy.metrics[0]).toMatchObject({
      name: 'roc_auc',
      decide_on: 'interval',
      severity: 'fail',
      line: 2,
    });
    expect(policy.metrics[0].keys).toEqual({ metric: 2, min: 3 });
    expect(policy.metrics[0].max_drop).toBeUndefined();
    expect(policy.metrics[1]).toMatchObject({ name: 'fast', severity: 'warn', keys: { max: 6 } });
    expect(policy.slices[0]).toMatchObject({
      name: 'f1@station',
      min_rows: DEFAULT_MIN_ROWS,
      line: 9,
      keys: { min: 11 },
    });
    expect(policy.data).toMatchObject({
      validation_must_pass: true,
      max_drifted_columns: 0,
      keys: { max_drifted_columns: 13 },
    });
  });

  test.each([
    [
      'an unknown key, at its own line',
      'metrics:\n  - metric: roc_auc\n    minimum: 0.8\n',
      /line 3, key "metrics\[0\]\.minimum": is not a known key/,
    ],
    [
      'a wrong type',
      'metrics:\n  - metric: roc_auc\n    min: high\n',
      /line 3, key "metrics\[0\]\.min": must be number/,
    ],
    [
      'a bad severity',
      'metrics:\n  - metric: f1\n    min: 0.5\n    severity: block\n',
      /line 4, key "metrics\[0\]\.severity": must be one of "fail", "warn"/,
    ],
    [
      'a slice rule without a bound',
      'slices:\n  - column: station\n    metric: f1\n',
      /line 2, key "slices\[0\]": needs min or max/,
    ],
    ['a missing metric key', 'metrics:\n  - min: 0.8\n', /line 2, key "metrics\[0\]\.metric": is required/],
    [
      'a waiver without expiry',
      'metrics:\n  - metric: f1\n    min: 0.5\nwaivers:\n  - rule: f1\n    reason: later\n',
      /line 5, key "waivers\[0\]\.until": is required/,
    ],
    [
      'an impossible date',
      'metrics:\n  - metric: f1\n    min: 0.5\nwaivers:\n  - rule: f1\n    until: 2026-02-30\n    reason: x\n',
      /line 6, key "waivers\[0\]\.until": must match format "date"/,
    ],
    [
      'broken YAML',
      'metrics:\n  - metric: f1\n   min: [0.5\n',
      /ml\/policy\.yml, line \d+: is not valid YAML/,
    ],
    [
      'a key given twice (YAML errors name their own line)',
      'metrics:\n  - metric: roc_auc\n    min: 0.5\n    min: 0.6\n',
      /ml\/policy\.yml, line 4: is not valid YAML: Map keys must be unique/,
    ],
    [
      'two rules with one name',
      'metrics:\n  - metric: f1\n    min: 0.5\n  - metric: f1\n    max: 0.9\n',
      /line 4, key "metrics\[1\]\.name": another rule is already named "f1"/,
    ],
    [
      'min above max',
      'metrics:\n  - metric: f1\n    min: 0.9\n    max: 0.5\n',
      /line 3, key "metrics\[0\]\.min": min 0.9 is above max 0.5/,
    ],
    [
      'a drop of a metric of unknown direction',
      'metrics:\n  - metric: my_score\n    max_drop: 0.1\n',
      /line 3, key "metrics\[0\]\.max_drop": cannot measure a drop of "my_score"/,
    ],
    [
      'a waiver for no rule',
      'metrics:\n  - metric: f1\n    min: 0.5\nwaivers:\n  - rule: roc_auc\n    until: 2030-01-01\n    reason: x\n',
      /line 5, key "waivers\[0\]\.rule": waives "roc_auc", which is not a rule/,
    ],
    ['no rules at all', 'waivers: []\n', /has no rules/],
    ['an empty file', '', /is empty/],
  ])('rejects %s, naming the file, line and key', (_, text, message) => {
    const text_ = problem(text);
    expect(text_).toMatch(/^ml\/policy\.yml/);
    expect(text_).toMatch(message);
  });

  test('min and max of any metric are fine, even one the catalog does not know', () => {
    expect(() => parsePolicy('metrics:\n  - metric: my_score\n    min: 0.1\n', 'p.yml')).not.toThrow();
  });
});
