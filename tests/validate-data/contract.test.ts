import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { validateData } from '../../src/core/data/validate.js';
import type { Check } from '../../src/core/data/checks.js';
import { MAX_SHOWN_CHARACTERS } from '../../src/core/report/markdown.js';
import { validationHtml, validationMarkdown } from '../../src/core/report/validation-report.js';

async function workspace(files: Record<string, string | object>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-contract-'));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

async function checksFor(csv: string, contract: object, name = 'data.csv'): Promise<Record<string, Check>> {
  const dir = await workspace({ [name]: csv, 'contract.json': contract });
  const { validation } = await validateData({ data: join(dir, name), contract: join(dir, 'contract.json') });
  return Object.fromEntries(validation.checks.map((check) => [check.name, check]));
}

const CSV = [
  'id,station,temp,humidity,code,day,email,reading',
  '1,north,12.5,0.4,007,2024-01-31,a@x.org,1',
  '2,south,13.1,,012,2024-02-30,b@x.org,2',
  '3,north,-60,0.5,x12,2024-03-01,not-an-email,3',
  '4,east,14.0,1.4,013,2024-03-02,c@x.org,',
  '4,south,abc,0.6,014,2024-03-03,d@x.org,5',
].join('\n');

const CONTRACT = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    station: { enum: ['north', 'south'] },
    temp: { type: 'number', minimum: -50, maximum: 50 },
    humidity: { type: ['number', 'null'], minimum: 0, exclusiveMaximum: 1 },
    code: { type: 'string', pattern: '^[0-9]{3}$', maxLength: 3 },
    day: { type: 'string', format: 'date' },
    email: { type: 'string', format: 'email' },
    reading: { type: 'integer' },
  },
  required: ['id', 'station', 'temp', 'code', 'reading'],
  dependentRequired: { reading: ['humidity'] },
  'x-dataset': {
    rows: { min: 10 },
    unique: ['id', ['station', 'day']],
    maxMissingFraction: { humidity: 0.1 },
  },
};

describe('contract rules: every kind counts its failing rows and shows examples with row, column and value', () => {
  let checks: Record<string, Check>;
  beforeAll(async () => {
    checks = await checksFor(CSV, CONTRACT);
  });

  test('enum (SQL)', () => {
    expect(checks['station.enum']).toMatchObject({ verdict: 'fail', failingRows: 1 });
    expect(checks['station.enum'].samples).toEqual([
      {
        row: 4,
        column: 'station',
        value: 'east',
        message: 'must be equal to one of the allowed values: "north", "south"',
      },
    ]);
  });

  test('type on a text column the contract calls a number: only non-numbers fail', () => {
    expect(checks['temp.type']).toMatchObject({ verdict: 'fail', failingRows: 1 });
    expect(checks['temp.type'].samples![0]).toMatchObject({
      row: 5,
      value: 'abc',
      message: 'must be number',
    });
  });

  test('minimum / maximum / exclusiveMaximum', () => {
    expect(checks['temp.minimum']).toMatchObject({ failingRows: 1 });
    expect(checks['temp.minimum'].samples![0]).toMatchObject({
      row: 3,
      value: -60,
      message: 'must be >= -50',
    });
    expect(checks['temp.maximum']).toMatchObject({ verdict: 'pass', failingRows: 0 });
    expect(checks['humidity.exclusiveMaximum'].samples![0]).toMatchObject({
      row: 4,
      value: 1.4,
      message: 'must be < 1',
    });
  });

  test('pattern and maxLength on a text column kept as text (leading zeros survive)', () => {
    expect(checks['code.pattern']).toMatchObject({ failingRows: 1 });
    expect(checks['code.pattern'].samples![0]).toMatchObject({ row: 3, value: 'x12' });
    expect(checks['code.maxLength'].verdict).toBe('pass');
  });

  test('format by ajv over the distinct values (a date that does not exist, an email)', () => {
    expect(checks['day.format']).toMatchObject({ failingRows: 1 });
    expect(checks['day.format'].samples![0]).toMatchObject({
      row: 2,
      value: '2024-02-30',
      message: 'must match format "date"',
    });
    expect(checks['email.format'].samples![0]).toMatchObject({ row: 3, value: 'not-an-email' });
  });

  test('required: a missing cell in a required column', () => {
    expect(checks['reading.required']).toMatchObject({ failingRows: 1 });
    expect(checks['reading.required'].samples![0]).toMatchObject({ row: 4, value: null });
    expect(checks['humidity.required']).toBeUndefined();
  });

  test('row-level keywords (dependentRequired) by ajv over the rows', () => {
    expect(checks['row.dependentRequired']).toMatchObject({ verdict: 'fail', failingRows: 1 });
    expect(checks['row.dependentRequired'].samples![0]).toMatchObject({ row: 2 });
  });

  test('dataset rules: row count, unique column, unique key, missing fraction', () => {
    expect(checks.rows).toMatchObject({ verdict: 'fail', observed: 5 });
    expect(checks['unique:id']).toMatchObject({ verdict: 'fail', failingRows: 2 });
    expect(checks['unique:id'].samples!.map((sample) => sample.row)).toEqual([4, 5]);
    expect(checks['unique:station+day'].verdict).toBe('pass');
    expect(checks['missing:humidity']).toMatchObject({ verdict: 'fail', observed: 0.2, limit: 0.1 });
  });

  test('a pattern only JavaScript reads (a \\u escape) is checked by ajv, not by DuckDB', async () => {
    const checked = await checksFor('code\nx1\ny2\nx3\n', {
      type: 'object',
      properties: { code: { type: 'string', pattern: '^\\u0078\\d' } },
    });
    expect(checked['code.pattern']).toMatchObject({ verdict: 'fail', failingRows: 1 });
    expect(checked['code.pattern'].samples!.map((sample) => sample.row)).toEqual([2]);
  });

  test('integer type passes integral numbers', () => {
    expect(checks['id.type'].verdict).toBe('pass');
  });

  test('dataset rules on an optional column the data lacks fail as data, not as a broken contract', async () => {
    const absent = await checksFor('a,b\n1,x\n2,y\n', {
      type: 'object',
      properties: { a: {}, b: {}, c: { type: ['number', 'null'] } },
      'x-dataset': { maxMissingFraction: { c: 0.05, a: 0 }, unique: ['c', ['a', 'c'], 'a'] },
    });
    expect(absent['c.present']).toMatchObject({ verdict: 'warn', observed: 'absent' });
    expect(absent['missing:c']).toMatchObject({ verdict: 'fail', observed: 1, limit: 0.05 });
    expect(absent['missing:a']).toMatchObject({ verdict: 'pass', observed: 0 });
    expect(absent['unique:c']).toMatchObject({ verdict: 'fail', observed: 'absent' });
    expect(absent['unique:c'].detail).toMatch(/lacks key column\(s\) "c"/);
    expect(absent['unique:a+c']).toMatchObject({ verdict: 'fail', observed: 'absent' });
    expect(absent['unique:a'].verdict).toBe('pass');
  });
});

describe('SQL-compiled rules agree with ajv evaluating every row', () => {
  test('counts per keyword equal a brute-force ajv pass over the same rows', async () => {
    const rows: string[] = ['a,b,c'];
    const values: Record<string, unknown>[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const a = Math.round((random() * 30 - 5) * 100) / 100;
      const b = ['x', 'y', 'z', 'yy', 'w1'][Math.floor(random() * 5)];
      const c = Math.floor(random() * 20) - 3;
      rows.push(`${a},${b},${c}`);
      values.push({ a, b, c });
    }
    const properties = {
      a: { type: 'number', minimum: 0, maximum: 20, exclusiveMinimum: -1 },
      b: { type: 'string', enum: ['x', 'y', 'z'], pattern: '^[a-z]$', minLength: 1, maxLength: 1 },
      c: { type: 'integer', exclusiveMaximum: 15, const: 3 },
    };
    const checks = await checksFor(rows.join('\n'), { type: 'object', properties });
    const ajv = new Ajv2020({ allErrors: true });
    (addFormats as unknown as (instance: Ajv2020) => void)(ajv);
    for (const [column, schema] of Object.entries(properties)) {
      for (const [keyword, argument] of Object.entries(schema)) {
        const validate = ajv.compile({ [keyword]: argument });
        const expected = values.filter((row) => !validate(row[column])).length;
        expect([`${column}.${keyword}`, checks[`${column}.${keyword}`].failingRows]).toEqual([
          `${column}.${keyword}`,
          expected,
        ]);
      }
    }
  });
});

describe('the contract file itself', () => {
  const data = 'a,b\n1,2\n';
  async function error(contract: unknown): Promise<string> {
    const dir = await workspace({
      'data.csv': data,
      'contract.json': typeof contract === 'string' ? contract : JSON.stringify(contract),
    });
    try {
      await validateData({ data: join(dir, 'data.csv'), contract: join(dir, 'contract.json') });
    } catch (caught) {
      return (caught as Error).message;
    }
    throw new Error('expected an error');
  }

  test('is not valid JSON', async () => {
    expect(await error('{"type": "object",')).toMatch(/contract\.json: is not valid JSON/);
  });
  test('is not valid JSON Schema: the error names the key', async () => {
    expect(await error({ type: 'object', properties: { a: { type: 'nummber' } } })).toMatch(
      /key "properties\.a\.type"/,
    );
    expect(await error({ type: 'object', properties: { a: { minimum: 'low' } } })).toMatch(
      /key "properties\.a\.minimum"/,
    );
  });
  test('a misspelt keyword is named with its key', async () => {
    expect(await error({ type: 'object', properties: { a: {}, b: { minimun: 0 } } })).toMatch(
      /contract\.json, key "properties\.b\.minimun": is not a valid JSON Schema: strict mode: unknown keyword: "minimun"/,
    );
  });
  test('a warn entry that names no rule and no column is refused; rule and column names are taken', async () => {
    const contract = (warn: string[]) => ({
      type: 'object',
      properties: { a: { minimum: 0 }, b: { format: 'date' }, gone: { maximum: 3 } },
      dependentRequired: { a: ['b'] },
      'x-dataset': { rows: { min: 1 }, warn },
    });
    expect(await error(contract(['a.minimum', 'a.minimun']))).toMatch(
      /contract\.json, key "x-dataset\.warn\[1\]": names no rule and no column of this contract and data: "a\.minimun"/,
    );
    // Rules that pass (ajv's format and row-level rules exist in a run only when they fail), rules
    // of a column the data lacks, and whole columns are all known names.
    const names = ['a.minimum', 'b.format', 'row.dependentRequired', 'gone.maximum', 'b', 'rows'];
    const dir = await workspace({ 'data.csv': 'a,b\n1,2024-01-02\n', 'contract.json': contract(names) });
    const { validation } = await validateData({
      data: join(dir, 'data.csv'),
      contract: join(dir, 'contract.json'),
    });
    expect(validation.passed).toBe(true);
  });
  test('a byte-order mark before the JSON is accepted (as Windows editors save UTF-8)', async () => {
    const dir = await workspace({
      'data.csv': data,
      'contract.json': `\ufeff${JSON.stringify({ type: 'object', properties: { a: { minimum: 5 } } })}`,
    });
    const { validation } = await validateData({
      data: join(dir, 'data.csv'),
      contract: join(dir, 'contract.json'),
    });
    expect(validation.failedRules).toEqual(['a.minimum']);
  });
  test('a contract that does not compile is reported before problems of the data file', async () => {
    // The schema compiles while DuckDB counts the data; a broken or absent data file must not hide it.
    const bad = { type: 'object', properties: { a: { minimun: 0 } } };
    const dir = await workspace({ 'ragged.csv': 'a,b\n1,2\n3,4,5\n', 'contract.json': bad });
    for (const data of ['ragged.csv', 'absent.csv']) {
      await expect(
        validateData({ data: join(dir, data), contract: join(dir, 'contract.json') }),
      ).rejects.toThrow(/contract\.json, key "properties\.a\.minimun"/);
    }
  });
  test('a bad x-dataset key is named', async () => {
    expect(await error({ type: 'object', properties: { a: {} }, 'x-dataset': { rowz: {} } })).toMatch(
      /key "x-dataset\.rowz": is not a known key/,
    );
  });
  test('an invalid regular expression is named', async () => {
    expect(await error({ type: 'object', properties: { a: { pattern: '(' } } })).toMatch(
      /key "properties\.a\.pattern"/,
    );
  });
  test('an unknown format is refused', async () => {
    expect(await error({ type: 'object', properties: { a: { format: 'postcode' } } })).toMatch(
      /unknown format "postcode"/,
    );
  });
  test('a required column the data lacks', async () => {
    expect(await error({ type: 'object', properties: { zz: {} }, required: ['zz'] })).toMatch(
      /column "zz": the contract requires column "zz"/,
    );
  });
});

describe('contracts at the edges', () => {
  test('one if/then violation is one failed rule (row.then), not two', async () => {
    const checks = await checksFor('a,b\n1,2\n5,1\n6,4\n', {
      type: 'object',
      properties: { a: {}, b: {} },
      if: { properties: { a: { minimum: 5 } } },
      then: { properties: { b: { minimum: 3 } } },
    });
    expect(Object.keys(checks).filter((name) => name.startsWith('row.'))).toEqual(['row.then']);
    expect(checks['row.then']).toMatchObject({ verdict: 'fail', failingRows: 1 });
    expect(checks['row.then'].samples![0]).toMatchObject({ row: 2 });
  });

  test('examples of nested values show them as JSON, and a column named like an internal alias is its own', async () => {
    const rows = [
      { meta: { a: 1 }, MLOPS_ROW: 1 },
      { meta: { a: 2 }, MLOPS_ROW: 99 },
      { meta: { a: 1 }, MLOPS_ROW: 2 },
    ];
    const checks = await checksFor(
      rows.map((row) => JSON.stringify(row)).join('\n'),
      {
        type: 'object',
        properties: { meta: { type: 'object', required: ['a', 'b'] }, MLOPS_ROW: { maximum: 50 } },
        'x-dataset': { unique: ['meta'] },
      },
      'data.jsonl',
    );
    expect(checks['unique:meta'].samples!.map((sample) => [sample.row, sample.value])).toEqual([
      [1, { a: 1 }],
      [3, { a: 1 }],
    ]);
    expect(checks['meta.required'].samples![0]).toMatchObject({ row: 1, value: { a: 1 } });
    expect(checks['MLOPS_ROW.maximum'].samples!.map((sample) => sample.row)).toEqual([2]);
  });

  test('a contract of dataset rules only (no properties) is taken', async () => {
    const checks = await checksFor('a\n1\n2\n', {
      type: 'object',
      properties: {},
      'x-dataset': { rows: { min: 5 } },
    });
    expect(checks.rows).toMatchObject({ verdict: 'fail', observed: 2 });
  });
});

describe('long cells in reports', () => {
  test('report.md shows a long failing value cut to a readable length, validation.json keeps it whole', async () => {
    const note = 'x'.repeat(5000);
    const dir = await workspace({
      'data.csv': `id,note\n1,short\n2,${note}\n`,
      'contract.json': { type: 'object', properties: { note: { type: 'string', maxLength: 1000 } } },
    });
    const { validation, profile } = await validateData({
      data: join(dir, 'data.csv'),
      contract: join(dir, 'contract.json'),
    });
    const check = validation.checks.find((candidate) => candidate.name === 'note.maxLength')!;
    expect(check.samples![0].value).toBe(note);
    const report = validationMarkdown(validation, profile);
    expect(report).toContain(`row 2: "${'x'.repeat(MAX_SHOWN_CHARACTERS)}"… (5000 characters)`);
    const html = validationHtml(validation, profile);
    expect(html).not.toContain('x'.repeat(MAX_SHOWN_CHARACTERS + 1));
    expect(Math.max(...report.split('\n').map((line) => line.length))).toBeLessThan(1000);
  });
});
