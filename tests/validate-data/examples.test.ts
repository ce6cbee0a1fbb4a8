import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEAD_ROWS, MAX_SAMPLES } from '../../src/core/data/examples.js';
import { validateData } from '../../src/core/data/validate.js';

/**
 * Examples past the head of the file come from the parallel pass (an ordered insert whose row ids
 * are the row numbers). A file of several CSV buffers is read by several threads; the row numbers,
 * values and order must still be exactly those of the file.
 */
describe('example rows beyond the head of a large file', () => {
  const ROWS = 400_000;
  // Rule x.maximum fails sparsely after the head, rule label.enum a few times, y.required once near the end.
  const failsMaximum = (row: number) => row > HEAD_ROWS && row % 9973 === 1;
  const failsEnum = (row: number) => row > 3 * HEAD_ROWS && row % 65521 === 7;
  const failsRequired = (row: number) => row === ROWS - 2;
  let checks: Record<string, { failingRows?: number; samples?: { row: number; value: unknown }[] }>;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-examples-'));
    const lines = ['x,y,label,note'];
    for (let row = 1; row <= ROWS; row++) {
      const x = failsMaximum(row) ? 1000 + (row % 97) : (row * 7) % 100;
      const y = failsRequired(row) ? '' : String(row % 13);
      const label = failsEnum(row) ? `odd${row}` : ['a', 'b', 'c'][row % 3];
      lines.push(`${x},${y},${label},some words to make the file several buffers long ${row}`);
    }
    await writeFile(join(dir, 'data.csv'), lines.join('\n'));
    await writeFile(
      join(dir, 'contract.json'),
      JSON.stringify({
        type: 'object',
        properties: {
          x: { type: 'integer', maximum: 100 },
          y: { type: 'integer' },
          label: { enum: ['a', 'b', 'c'] },
        },
        required: ['x', 'y', 'label'],
      }),
    );
    const { validation } = await validateData({
      data: join(dir, 'data.csv'),
      contract: join(dir, 'contract.json'),
    });
    checks = Object.fromEntries(validation.checks.map((check) => [check.name, check]));
  }, 60_000);

  afterAll(() => rm(dir, { recursive: true, force: true }));

  function expected(fails: (row: number) => boolean): number[] {
    const rows: number[] = [];
    for (let row = 1; row <= ROWS; row++) if (fails(row)) rows.push(row);
    return rows;
  }

  test('the first failing rows of each rule, in file order, with their values', () => {
    const maximum = expected(failsMaximum);
    expect(checks['x.maximum'].failingRows).toBe(maximum.length);
    expect(checks['x.maximum'].samples).toEqual(
      maximum.slice(0, MAX_SAMPLES).map((row) => expect.objectContaining({ row, value: 1000 + (row % 97) })),
    );
    const labels = expected(failsEnum);
    expect(checks['label.enum'].samples).toEqual(
      labels.map((row) => expect.objectContaining({ row, value: `odd${row}` })),
    );
    expect(checks['y.required'].samples).toEqual([expect.objectContaining({ row: ROWS - 2, value: null })]);
  });
});
