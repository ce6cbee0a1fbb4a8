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
  // Rules whose failing rows are found through the counts (a subquery, planned as a join): a
  // duplicated id (ajv-free) and a bad e-mail (checked by ajv over the distinct values).
  const duplicated = [HEAD_ROWS + 5, ROWS - 100];
  const idOf = (row: number) => (row === duplicated[1] ? duplicated[0] : row);
  const failsFormat = (row: number) => row > 2 * HEAD_ROWS && row % 50_021 === 3;
  // A long enum: DuckDB turns a long IN list into a join too.
  const codes = Array.from({ length: 300 }, (_, index) => `c${index}`);
  const failsCode = (row: number) => row > HEAD_ROWS && row % 39_989 === 5;
  let checks: Record<string, { failingRows?: number; samples?: { row: number; value: unknown }[] }>;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-examples-'));
    const lines = ['x,y,label,id,mail,code,note'];
    for (let row = 1; row <= ROWS; row++) {
      const x = failsMaximum(row) ? 1000 + (row % 97) : (row * 7) % 100;
      const y = failsRequired(row) ? '' : String(row % 13);
      const label = failsEnum(row) ? `odd${row}` : ['a', 'b', 'c'][row % 3];
      const mail = failsFormat(row) ? `nobody${row}` : `user${row % 5000}@example.com`;
      const code = failsCode(row) ? `bad${row}` : codes[row % codes.length];
      lines.push(
        `${x},${y},${label},${idOf(row)},${mail},${code},some words to make the file several buffers long ${row}`,
      );
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
          id: { type: 'integer' },
          mail: { type: 'string', format: 'email' },
          code: { enum: codes },
        },
        required: ['x', 'y', 'label'],
        'x-dataset': { unique: ['id'] },
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

  test('rules that DuckDB evaluates with a join (counts, long IN lists) keep file order', () => {
    expect(checks['unique:id'].samples).toEqual(
      duplicated.map((row) => expect.objectContaining({ row, value: duplicated[0] })),
    );
    expect(checks['code.enum'].samples).toEqual(
      expected(failsCode).map((row) => expect.objectContaining({ row, value: `bad${row}` })),
    );
    expect(checks['mail.format'].samples).toEqual(
      expected(failsFormat).map((row) => expect.objectContaining({ row, value: `nobody${row}` })),
    );
  });
});
