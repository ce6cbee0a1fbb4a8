import { sliceGroups } from '../../src/core/evaluate/slices.js';

describe('slice groups', () => {
  test('times are cut into quartile bins labelled as UTC date-times, not one slice per time', () => {
    // 8 hourly readings from 2024-01-01 00:00 UTC, and one missing time.
    const start = Date.UTC(2024, 0, 1) / 1000;
    const hours = Float64Array.from([...Array.from({ length: 8 }, (_, i) => start + 3600 * i), Number.NaN]);
    const groups = sliceGroups(hours, 'time');
    expect(groups.map((group) => group.label)).toEqual([
      '[2024-01-01 00:00:00, 2024-01-01 01:45:00)',
      '[2024-01-01 01:45:00, 2024-01-01 03:30:00)',
      '[2024-01-01 03:30:00, 2024-01-01 05:15:00)',
      '[2024-01-01 05:15:00, 2024-01-01 07:00:00]',
      '(missing)',
    ]);
    expect(groups.map((group) => group.rows.length)).toEqual([2, 2, 2, 2, 1]);
  });

  test('numbers keep 6 significant digits in their labels', () => {
    const groups = sliceGroups(Float64Array.from([0.1234567, 1, 2, 3, 4]), 'number');
    expect(groups[0].label).toBe('[0.123457, 1)');
    expect(groups.at(-1)!.label).toBe('[3, 4]');
  });
});
