import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import gateSchema from '../../schemas/gate.schema.json' with { type: 'json' };
import { compileSchema } from '../../src/core/json-schema.js';
import { runCli } from '../support/run-bundle.js';
import { gateWorkspace } from './support/workspace.js';

const ARGS = [
  'gate',
  '--policy',
  'ml/policy.yml',
  '--metrics',
  'evaluated/metrics.json',
  '--validation',
  'evaluated/validation.json',
];

describe('mlops gate', () => {
  test('a failing rule: exit 1, gate.json valid against its schema, report with the verdict first', async () => {
    const cwd = await gateWorkspace();
    const run = await runCli([...ARGS, '--out', 'out'], { cwd });
    expect(run.exitCode).toBe(1);
    const gate = JSON.parse(await readFile(join(cwd, 'out/gate.json'), 'utf8'));
    const validate = compileSchema(gateSchema);
    expect(validate(gate)).toBe(true);
    expect(gate).toMatchObject({ passed: false, verdict: 'fail', policy: 'ml/policy.yml' });
    const report = await readFile(join(cwd, 'out/report.md'), 'utf8');
    expect(report.split('\n')[0]).toBe('## ❌ mlops gate: failed');
    // Failing checks are listed before the table, and lead the table.
    const table = report.slice(report.indexOf('| --- |'));
    const rows = table.split('\n').slice(1).filter(Boolean);
    const firstPass = rows.findIndex((row) => row.startsWith('| ✅'));
    expect(rows.slice(0, firstPass).every((row) => row.startsWith('| ❌'))).toBe(true);
    expect(rows.slice(firstPass).some((row) => row.startsWith('| ❌'))).toBe(false);
  });

  test('--fail-on never and warn change only the exit code', async () => {
    const cwd = await gateWorkspace();
    expect((await runCli([...ARGS, '--fail-on', 'never'], { cwd })).exitCode).toBe(0);
    const passing = await gateWorkspace('policy-pass.yml');
    expect((await runCli([...ARGS, '--fail-on', 'warn'], { cwd: passing })).exitCode).toBe(0);
    const bad = await runCli([...ARGS, '--fail-on', 'sometimes'], { cwd });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--fail-on must be one of fail, warn, never');
  });

  test('bad inputs: exit 2, one line naming the file (and key or line), no stack trace, no output written', async () => {
    const cwd = await gateWorkspace();
    const cases: [string, string, RegExp][] = [
      [
        'ml/policy.yml',
        'metrics:\n  - metric: roc_auc\n    mni: 0.8\n',
        /ml\/policy\.yml, line 3, key "metrics\[0\]\.mni": is not a known key/,
      ],
      ['evaluated/metrics.json', '{"schemaVersion": 1}', /evaluated\/metrics\.json, key "tool": is required/],
      ['evaluated/validation.json', '{ not json', /evaluated\/validation\.json: is not valid JSON/],
    ];
    for (const [file, content, message] of cases) {
      const workspace = await gateWorkspace();
      await writeFile(join(workspace, file), content);
      const run = await runCli([...ARGS, '--out', 'out'], { cwd: workspace });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(workspace, 'out'))).toBe(false);
    }
    const missing = await runCli(['gate', '--policy', 'nope.yml', '--metrics', 'evaluated/metrics.json'], {
      cwd,
    });
    expect(missing.stderr).toContain('nope.yml: file not found');
  });
});
