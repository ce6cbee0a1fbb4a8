import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import profileSchema from '../../schemas/profile.schema.json' with { type: 'json' };
import { compileSchema } from '../../src/core/json-schema.js';
import { mergeProfiles, quantileOf } from '../../src/core/data/profile.js';
import { validateData } from '../../src/core/data/validate.js';
import { inferContract } from '../../src/core/data/infer-contract.js';

function rows(start: number, count: number): string[] {
  const lines: string[] = [];
  for (let i = start; i < start + count; i++) {
    const x = ((i * 7919) % 1000) / 10;
    const station = ['a', 'b', 'c'][i % 3];
    const gap = i % 11 === 0 ? '' : String(i % 4);
    lines.push(`${i},${x},${station},${gap}`);
  }
  return lines;
}

describe('profile.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-profile-'));
    const header = 'id,x,station,level';
    await writeFile(join(dir, 'all.csv'), [header, ...rows(0, 3000)].join('\n'));
    await writeFile(join(dir, 'a.csv'), [header, ...rows(0, 1200)].join('\n'));
    await writeFile(join(dir, 'b.csv'), [header, ...rows(1200, 1800)].join('\n'));
  });

  test('has every statistic per column, the row count and the sha256 of the file; matches its schema', async () => {
    const { profile } = await validateData({ data: join(dir, 'all.csv') });
    expect(compileSchema(profileSchema)(profile)).toBe(true);
    expect(profile.rows).toBe(3000);
    const content = await readFile(join(dir, 'all.csv'));
    expect(profile.source!.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const x = profile.columns.find((column) => column.name === 'x')!;
    expect(x).toMatchObject({ kind: 'numeric', count: 3000, missing: 0 });
    expect(x.numeric!.min).toBe(0);
    expect(x.numeric!.max).toBe(99.9);
    expect(x.numeric!.quantiles.p50).toBeCloseTo(49.95, 10);
    expect(x.numeric!.histogram.counts.reduce((a, b) => a + b, 0)).toBe(3000);
    const level = profile.columns.find((column) => column.name === 'level')!;
    expect(level.missing).toBe(273);
    const station = profile.columns.find((column) => column.name === 'station')!;
    expect(station.categories!.values).toEqual([
      { value: 'a', count: 1000 },
      { value: 'b', count: 1000 },
      { value: 'c', count: 1000 },
    ]);
  });

  test("two shards' profiles merge into the profile of the whole", async () => {
    const whole = (await validateData({ data: join(dir, 'all.csv') })).profile;
    const merged = mergeProfiles(
      (await validateData({ data: join(dir, 'a.csv') })).profile,
      (await validateData({ data: join(dir, 'b.csv') })).profile,
    );
    expect(merged.rows).toBe(whole.rows);
    expect(merged.shards).toHaveLength(2);
    for (const column of whole.columns) {
      const other = merged.columns.find((candidate) => candidate.name === column.name)!;
      expect([column.name, other.count, other.missing]).toEqual([column.name, column.count, column.missing]);
      if (column.numeric) {
        expect(other.numeric!.min).toBe(column.numeric.min);
        expect(other.numeric!.max).toBe(column.numeric.max);
        expect(other.numeric!.mean).toBeCloseTo(column.numeric.mean, 9);
        expect(other.numeric!.std!).toBeCloseTo(column.numeric.std!, 9);
        const spread = column.numeric.max - column.numeric.min;
        for (const [name, value] of Object.entries(column.numeric.quantiles)) {
          expect(Math.abs(other.numeric!.quantiles[name] - value)).toBeLessThanOrEqual(0.01 * spread);
        }
        expect(quantileOf(other.numeric!.cdf, other.count, 1)).toBe(column.numeric.max);
      }
      if (column.categories) expect(other.categories).toEqual(column.categories);
      // Distinct counts: exact where the shards list every value, else HyperLogLog within a few percent.
      expect(Math.abs(other.distinct - column.distinct) / column.distinct).toBeLessThan(0.05);
    }
  });

  test('--infer-contract drafts a contract that the same data passes', async () => {
    const { profile } = await validateData({ data: join(dir, 'all.csv') });
    const contract = inferContract(profile, 'all.csv');
    expect(contract.required).toEqual(['id', 'x', 'station']);
    expect((contract.properties as Record<string, unknown>).station).toEqual({
      type: 'string',
      enum: ['a', 'b', 'c'],
    });
    expect((contract.properties as Record<string, Record<string, unknown>>).level.type).toEqual([
      'integer',
      'null',
    ]);
    expect((contract['x-dataset'] as Record<string, unknown>).unique).toEqual(['id']);
    await writeFile(join(dir, 'contract.json'), JSON.stringify(contract));
    const { validation } = await validateData({
      data: join(dir, 'all.csv'),
      contract: join(dir, 'contract.json'),
    });
    expect(validation.failedRules).toEqual([]);
    expect(validation.passed).toBe(true);
  });
});

describe('contract drafts', () => {
  test('a fraction keeps its upper bound of 1; an all-distinct timestamp is drafted as a key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-draft-'));
    const lines = Array.from(
      { length: 50 },
      (_, i) =>
        `2024-01-01 ${String(i % 24).padStart(2, '0')}:${String(i).padStart(2, '0')}:00,${(0.5 + i / 100).toFixed(2)}`,
    );
    await writeFile(join(dir, 'd.csv'), ['time,humidity', ...lines].join('\n'));
    const { profile } = await validateData({ data: join(dir, 'd.csv') });
    const contract = inferContract(profile, 'd.csv');
    const properties = contract.properties as Record<string, Record<string, unknown>>;
    expect(properties.humidity).toMatchObject({ minimum: 0.45, maximum: 1 });
    expect((contract['x-dataset'] as Record<string, unknown>).unique).toEqual(['time']);
  });
});

describe('profile moments', () => {
  test('the std stays exact for values far from zero (deviations are taken from the minimum)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-moments-'));
    const offsets = Array.from({ length: 3000 }, (_, i) => (i % 7) * 0.5 + (i % 3) * 0.5);
    await writeFile(join(dir, 'd.csv'), ['x', ...offsets.map((offset) => String(4e15 + offset))].join('\n'));
    const { profile } = await validateData({ data: join(dir, 'd.csv') });
    const mean = offsets.reduce((sum, offset) => sum + offset, 0) / offsets.length;
    const variance = offsets.reduce((sum, offset) => sum + (offset - mean) ** 2, 0) / (offsets.length - 1);
    const numeric = profile.columns[0].numeric!;
    expect(numeric.mean - 4e15).toBeCloseTo(mean, 0);
    expect(numeric.std).toBeCloseTo(Math.sqrt(variance), 12);
  });
});

describe('profile determinism', () => {
  test('-0.0 and 0.0 are one value: the distinct-value sketch does not depend on which sign was counted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-profile-zero-'));
    const values = (zero: (i: number) => string) =>
      ['x', ...Array.from({ length: 4000 }, (_, i) => (i % 5 === 0 ? zero(i) : String((i % 97) / 4)))].join(
        '\n',
      );
    await writeFile(
      join(dir, 'signed.csv'),
      values((i) => (i % 2 ? '0.0' : '-0.0')),
    );
    await writeFile(
      join(dir, 'plain.csv'),
      values(() => '0.0'),
    );
    const signed = await validateData({ data: join(dir, 'signed.csv') });
    const plain = await validateData({ data: join(dir, 'plain.csv') });
    expect(signed.profile.columns[0].hll).toBe(plain.profile.columns[0].hll);
    expect(signed.profile.columns[0].distinct).toBe(plain.profile.columns[0].distinct);
  });
});
