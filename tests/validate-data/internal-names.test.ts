import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateData, type ValidateResult } from '../../src/core/data/validate.js';

/**
 * Every alias, field and table name the SQL of validate-data uses for its own purposes. A data column
 * named like any of them must give the same results as the same column under a neutral name.
 */
const INTERNAL_NAMES = [
  'g',
  'n',
  'v',
  'id',
  '__row',
  'c0',
  'c1',
  'r0',
  's0',
  'e0',
  'h',
  'idx',
  'rank',
  'b',
  'cum',
  'r',
  'na',
  'nb',
  'fa',
  'fb',
  'dx',
  'ta',
  'tb',
  'value',
  'count',
  'missing',
  'rows',
  'dup_values',
  'bad',
  'present',
  'numbers',
  'distinct_values',
  'min',
  'max',
  'mean',
  'm2',
  'ks',
  'w1',
  'u',
  't',
  'c',
  's',
];

function csv(names: string[], rows: number, seed: number): string {
  const lines = [names.join(',')];
  for (let row = 0; row < rows; row++) {
    const cells = names.map((_, index) => {
      const x = ((row + seed) * (index + 7) * 7919) % 997;
      if (x % 13 === 0) return '';
      // Even columns are numbers, odd columns a few categories.
      return index % 2 === 0 ? String(x / 10) : ['a', 'b', 'c', 'zz'][x % 4];
    });
    lines.push(cells.join(','));
  }
  return lines.join('\n');
}

function contract(names: string[]): object {
  const properties = Object.fromEntries(
    names.map((name, index) => [
      name,
      index % 2 === 0
        ? // minimum runs in SQL, multipleOf in ajv over the distinct values.
          { type: 'number', minimum: 5, maximum: 90, ...(index % 4 === 0 ? { multipleOf: 0.5 } : {}) }
        : { type: 'string', enum: ['a', 'b', 'c'] },
    ]),
  );
  return {
    type: 'object',
    properties,
    required: names.filter((_, index) => index % 3 === 0),
    // Row-level: ajv over every row.
    dependentRequired: { [names[0]]: [names[1]] },
    'x-dataset': {
      unique: [names[0], [names[1], names[2]]],
      maxMissingFraction: { '*': 0.05 },
    },
  };
}

async function run(names: string[]): Promise<ValidateResult> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-internal-names-'));
  await writeFile(join(dir, 'data.csv'), csv(names, 400, 1));
  await writeFile(join(dir, 'reference.csv'), csv(names, 300, 5));
  await writeFile(join(dir, 'contract.json'), JSON.stringify(contract(names)));
  return validateData({
    data: join(dir, 'data.csv'),
    contract: join(dir, 'contract.json'),
    reference: join(dir, 'reference.csv'),
  });
}

/** Numbers to 12 significant digits: DuckDB's parallel sums may add in another order from run to run. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
  if (Array.isArray(value)) return value.map(rounded);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, part]) => [key, rounded(part)]));
  return value;
}

/** The results with each column named by its position, so two runs with different names compare. */
function byPosition(result: ValidateResult, names: string[]) {
  const at = new Map(names.map((name, index) => [name, `#${index}`]));
  const rename = (name: string) => at.get(name) ?? name;
  // Rule names: <column>.<keyword>, unique:<a>+<b>, missing:<column>, drift:<column>, row.<keyword>.
  const ruleName = (name: string) => {
    const [, kind, body, keyword] = /^(unique:|missing:|drift:)?(.*?)(\.[a-zA-Z]+)?$/.exec(name)!;
    return `${kind ?? ''}${body.split('+').map(rename).join('+')}${keyword ?? ''}`;
  };
  const sampleValue = (value: unknown) =>
    value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([key, part]) => [rename(key), part]))
      : value;
  return rounded({
    checks: result.validation.checks.map((check) => ({
      name: ruleName(check.name),
      verdict: check.verdict,
      observed: check.observed,
      failingRows: check.failingRows,
      samples: check.samples?.map((sample) => ({
        row: sample.row,
        column: sample.column.split('+').map(rename).join('+'),
        value: sampleValue(sample.value),
        hasMessage: sample.message !== undefined,
      })),
    })),
    drift: result.validation.drift.map(({ column, ...entry }) => ({ ...entry, column: rename(column) })),
    profile: result.profile.columns.map(({ name, ...column }) => ({ ...column, name: rename(name) })),
  });
}

test('data columns named like the SQL’s own aliases give the same results as neutral names', async () => {
  const neutral = INTERNAL_NAMES.map((_, index) => `column_${index}`);
  const [clashing, plain] = await Promise.all([run(INTERNAL_NAMES), run(neutral)]);
  expect(clashing.validation.data.rows).toBe(400);
  // The fixture exercises every path: SQL rules, ajv rules, row-level rules, keys, drift.
  const failing = plain.validation.checks.filter((check) => check.failingRows);
  expect(failing.length).toBeGreaterThan(10);
  expect(failing.some((check) => check.name === 'row.dependentRequired')).toBe(true);
  expect(plain.validation.drift.length).toBe(INTERNAL_NAMES.length);
  const expected = byPosition(plain, neutral);
  expect(byPosition(clashing, INTERNAL_NAMES)).toEqual(expected);
});
