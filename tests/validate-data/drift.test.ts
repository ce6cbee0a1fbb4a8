import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateData } from '../../src/core/data/validate.js';
import {
  benjaminiHochberg,
  chi2Sf,
  chiSquareTwoRows,
  jensenShannon,
  ksPValue,
  psi,
} from '../../src/core/data/stats.js';
import { REPO_ROOT } from '../support/run-bundle.js';

const FIXTURES = join(REPO_ROOT, 'tests/fixtures/drift');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')).cases;

async function drift(name: string, statistic?: string) {
  const { validation } = await validateData({
    data: join(FIXTURES, `${name}-current.csv`),
    reference: join(FIXTURES, `${name}-reference.csv`),
  });
  void statistic;
  return Object.fromEntries(validation.drift.map((entry) => [entry.column, entry]));
}

describe('drift statistics agree with scipy.stats on the committed fixtures (scripts/drift-fixtures.py)', () => {
  test.each(['small', 'same', 'large'])(
    '%s: KS (ks_2samp), Wasserstein, chi-square (chi2_contingency), Jensen–Shannon',
    async (name) => {
      const entries = await drift(name);
      const want = expected[name];
      for (const column of ['x', 'k']) {
        const s = entries[column].statistics;
        expect(entries[column].exact).toBe(true);
        expect(s.ks!.value).toBeCloseTo(want[column].ks, 12);
        expect(s.ks!.pValue / want[column].ks_p).toBeCloseTo(1, 5);
        expect(s.wasserstein!.raw).toBeCloseTo(want[column].wasserstein, 9);
        expect(s.wasserstein!.value).toBeCloseTo(want[column].wasserstein_normed, 9);
      }
      const c = entries.c.statistics;
      expect(c.chi_square!.value).toBeCloseTo(want.c.chi_square, 9);
      expect(c.chi_square!.pValue / want.c.chi_square_p).toBeCloseTo(1, 8);
      expect(c.chi_square!.dof).toBe(want.c.dof);
      expect(c.jensen_shannon.value).toBeCloseTo(want.c.jensen_shannon, 12);
    },
  );

  test("binary categories: chi2_contingency's Yates correction", async () => {
    const entries = await drift('binary');
    expect(entries.b.statistics.chi_square!.value).toBeCloseTo(expected.binary.b.chi_square, 9);
    expect(entries.b.statistics.chi_square!.pValue).toBeCloseTo(expected.binary.b.chi_square_p, 12);
    expect(entries.b.statistics.chi_square!.dof).toBe(1);
  });

  test('small references decide by the test (p < 0.05 after Benjamini–Hochberg); every statistic is reported', async () => {
    const entries = await drift('small');
    expect(entries.x.statistic).toBe('ks');
    expect(entries.x.decidedBy).toBe('p_value');
    expect(entries.x.drifted).toBe(true);
    expect(entries.c.statistic).toBe('chi_square');
    expect(entries.c.drifted).toBe(false);
    for (const entry of Object.values(entries)) {
      expect(entry.statistics.psi.value).toBeGreaterThanOrEqual(0);
      expect(entry.statistics.jensen_shannon.value).toBeGreaterThanOrEqual(0);
      expect(entry.pValueAdjusted).toBeGreaterThanOrEqual(entry.pValue!);
    }
  });

  test('samples of the same distribution do not drift', async () => {
    const entries = await drift('same');
    expect(Object.values(entries).filter((entry) => entry.drifted)).toEqual([]);
  });

  test('large references decide by distance (Wasserstein normed, Jensen–Shannon) at 0.1, guarded by the test', async () => {
    const entries = await drift('large');
    expect(entries.x.statistic).toBe('wasserstein');
    expect(entries.c.statistic).toBe('jensen_shannon');
    expect(entries.x.threshold).toBe(0.1);
    // A shift of 0.05 std is significant with 15,000 rows but below the practical threshold.
    expect(entries.x.drifted).toBe(entries.x.value >= 0.1);
  });

  test('a saved profile.json works as the reference (KS and Wasserstein from its CDF sketch)', async () => {
    const reference = await validateData({ data: join(FIXTURES, 'large-reference.csv') });
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'mlops-profile-'));
    const profilePath = join(dir, 'profile.json');
    await writeFile(profilePath, JSON.stringify(reference.profile));
    const { validation } = await validateData({
      data: join(FIXTURES, 'large-current.csv'),
      reference: profilePath,
    });
    const x = validation.drift.find((entry) => entry.column === 'x')!;
    expect(x.exact).toBe(false);
    expect(x.statistics.ks!.value).toBeCloseTo(expected.large.x.ks, 2);
    // Within the sketches' resolution: 201 points each, so about 0.5% of the rank on either side.
    expect(Math.abs(x.statistics.wasserstein!.value - expected.large.x.wasserstein_normed)).toBeLessThan(
      0.01,
    );
    const c = validation.drift.find((entry) => entry.column === 'c')!;
    expect(c.statistics.chi_square!.value).toBeCloseTo(expected.large.c.chi_square, 9);
  });

  test('a file against its own profile: no drift, even where one value holds many rows', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'mlops-self-'));
    // 17% of the rows hold 16.1 (as visibility readings do); the rest spread over ~2,000 values.
    const lines = ['v'];
    for (let row = 0; row < 5000; row++)
      lines.push(row % 6 === 0 ? '16.1' : (((row * 7919) % 2000) / 100).toFixed(2));
    const data = join(dir, 'data.csv');
    await writeFile(data, lines.join('\n'));
    const own = await validateData({ data });
    await writeFile(join(dir, 'profile.json'), JSON.stringify(own.profile));
    const { validation } = await validateData({ data, reference: join(dir, 'profile.json') });
    const [v] = validation.drift;
    expect(v.drifted).toBe(false);
    expect(v.statistics.psi.value).toBeCloseTo(0, 12);
    expect(v.statistics.jensen_shannon.value).toBeCloseTo(0, 12);
    // Within the sketch's rank spacing (201 points: 0.5%).
    expect(v.statistics.ks!.value).toBeLessThan(0.0051);
    expect(v.statistics.wasserstein!.value).toBeLessThan(0.02);
  });
});

describe('statistics as functions', () => {
  test('PSI floors empty bins; Jensen–Shannon is symmetric and 0 for equal distributions', () => {
    expect(psi([10, 10], [10, 10])).toBe(0);
    expect(psi([10, 0], [5, 5])).toBeGreaterThan(0);
    expect(Number.isFinite(psi([10, 0], [5, 5]))).toBe(true);
    expect(jensenShannon([1, 2, 3], [3, 2, 1])).toBeCloseTo(jensenShannon([3, 2, 1], [1, 2, 3]), 15);
    expect(jensenShannon([1, 1], [2, 2])).toBe(0);
  });

  test('chi-square survival function and a one-category table', () => {
    expect(chi2Sf(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareTwoRows([5], [7])).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });

  test('KS p-value: identical samples give 1, exact and asymptotic branches', () => {
    expect(ksPValue(100, 100, 0)).toBe(1);
    expect(ksPValue(50, 50, 0.2)).toBeCloseTo(0.2719135601522248, 12);
    expect(ksPValue(20000, 30000, 0.0116)).toBeGreaterThan(0);
  });

  test('Benjamini–Hochberg keeps order and monotonicity', () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, null])).toEqual([0.03, 0.04, 0.04, null]);
  });
});
