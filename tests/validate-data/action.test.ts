import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAction } from '../support/run-bundle.js';

const CSV = 'id,temp,station\n1,10.5,a\n2,99,b\n3,11,a\n4,12,z\n';
const CONTRACT = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    temp: { type: 'number', maximum: 50 },
    station: { enum: ['a', 'b'] },
  },
  required: ['id', 'temp'],
};

async function run(inputs: Record<string, string>) {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const workspace = await mkdtemp(join(tmpdir(), 'mlops-action-'));
  await writeFile(join(workspace, 'data.csv'), CSV);
  await writeFile(join(workspace, 'contract.json'), JSON.stringify(CONTRACT));
  return runAction(
    'validate-data',
    { data: 'data.csv', contract: 'contract.json', ...inputs },
    { workspace },
  );
}

describe('validate-data action', () => {
  test('sets its outputs, writes the job summary and annotates failing rows on the data file', async () => {
    const result = await run({});
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({
      passed: 'false',
      'failed-rules': 'temp.maximum,station.enum',
      'drifted-columns': '',
      profile: join('mlops-out', 'profile.json'),
      report: join('mlops-out', 'report.html'),
    });
    expect(result.summary).toContain('## Data validation');
    expect(result.summary).toContain('### Failed rules\n');
    expect(result.summary).toContain('`temp.maximum`');
    expect(result.stdout).toContain(
      '::error title=temp.maximum,file=data.csv,line=3::row 2, column temp: must be <= 50 (value 99)',
    );
    expect(result.stdout).toContain('::error title=station.enum,file=data.csv,line=5::');
    const validation = JSON.parse(
      await readFile(join(result.workspace, 'mlops-out', 'validation.json'), 'utf8'),
    );
    expect(validation.failedRules).toEqual(['temp.maximum', 'station.enum']);
    const html = await readFile(join(result.workspace, 'mlops-out', 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  test('fail-on: never passes the step while still reporting', async () => {
    const result = await run({ 'fail-on': 'never' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.passed).toBe('false');
  });

  test('fail-on: warning fails on warnings alone', async () => {
    const contract = { ...CONTRACT, 'x-dataset': { warn: ['temp', 'station'] } };
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const workspace = await mkdtemp(join(tmpdir(), 'mlops-action-'));
    await writeFile(join(workspace, 'data.csv'), CSV);
    await writeFile(join(workspace, 'contract.json'), JSON.stringify(contract));
    const lenient = await runAction(
      'validate-data',
      { data: 'data.csv', contract: 'contract.json' },
      { workspace },
    );
    expect(lenient.exitCode).toBe(0);
    expect(lenient.outputs.passed).toBe('true');
    expect(lenient.summary).toContain('### Warnings\n');
    expect(lenient.summary).not.toContain('Failed rules');
    const strict = await runAction(
      'validate-data',
      { data: 'data.csv', contract: 'contract.json', 'fail-on': 'warning' },
      { workspace },
    );
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout).toContain('::warning title=temp.maximum,file=data.csv,line=3::');
  });

  test('a bad fail-on value is bad usage (exit 2)', async () => {
    const result = await run({ 'fail-on': 'sometimes' });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('::error::fail-on must be error, warning or never');
  });
});

describe('validation.json', () => {
  test('matches schemas/validation.schema.json', async () => {
    const { default: schema } = await import('../../schemas/validation.schema.json', {
      with: { type: 'json' },
    });
    const { compileSchema } = await import('../../src/core/json-schema.js');
    const result = await run({ 'fail-on': 'never' });
    const validation = JSON.parse(
      await readFile(join(result.workspace, 'mlops-out', 'validation.json'), 'utf8'),
    );
    const validate = compileSchema(schema);
    expect(validate(validation) ? [] : validate.errors).toEqual([]);
  });
});
