import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateData } from '../../src/core/data/validate.js';

/** The CSV reader sniffs once and pins what it found; these files check that nothing sniffed is lost. */
describe('CSV reader: one sniff, pinned', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-reader-'));
  });

  const columnsOf = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    const { profile } = await validateData({ data: join(dir, name) });
    return {
      profile,
      types: Object.fromEntries(profile.columns.map((column) => [column.name, column.sqlType])),
    };
  };

  test('CRLF line ends and a day-first date format', async () => {
    const { profile, types } = await columnsOf(
      'crlf.csv',
      'day,x\r\n31/01/2020,1.5\r\n01/02/2020,2.5\r\n15/02/2020,3\r\n',
    );
    expect(profile.rows).toBe(3);
    expect(types).toEqual({ day: 'DATE', x: 'DOUBLE' });
    expect(profile.columns[0].datetime).toEqual({ min: '2020-01-31', max: '2020-02-15' });
  });

  test('comment lines before the header are skipped', async () => {
    const { profile, types } = await columnsOf(
      'preamble.csv',
      '# exported 2020\n# by a tool\na,b\n1,2\n3,4\n',
    );
    expect(profile.rows).toBe(2);
    expect(types).toEqual({ a: 'BIGINT', b: 'BIGINT' });
  });

  test('a data row that starts with # is data, not a comment (only lines before the header are, and blank ones)', async () => {
    const { profile, types } = await columnsOf('hash.csv', 'id,tag\n1,b\n#2,c\n3,d\n');
    expect(profile.rows).toBe(3);
    expect(types.id).toBe('VARCHAR');
    expect(profile.columns[1].categories!.values.map((entry) => entry.value).sort()).toEqual(['b', 'c', 'd']);
    const hashHeader = await columnsOf('hash-header.csv', '# exported\n#id,value\n1,10\n2,20\n');
    expect(hashHeader.profile.rows).toBe(2);
    expect(Object.keys(hashHeader.types)).toEqual(['#id', 'value']);
    const blankFirst = await columnsOf('blank-first.csv', '\n\na,b\n1,2\n');
    expect(blankFirst.types).toEqual({ a: 'BIGINT', b: 'BIGINT' });
    const withBom = await columnsOf('bom-comment.csv', '\ufeff# exported\na,b\n1,2\n');
    expect(withBom.profile.rows).toBe(1);
    expect(withBom.types).toEqual({ a: 'BIGINT', b: 'BIGINT' });
  });

  test('JSONL: a value or key first seen after 20,480 rows keeps its type (no silent rounding)', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 25000; i++)
      lines.push(JSON.stringify(i === 22000 ? { a: 1.5, b: 'late' } : { a: 1 }));
    const { profile, types } = await columnsOf('late.jsonl', lines.join('\n'));
    expect(types).toEqual({ a: 'DOUBLE', b: 'VARCHAR' });
    expect(profile.columns[0].numeric!.max).toBe(1.5);
  });

  test('a value of another type after the sniffed sample: every row is sniffed again', async () => {
    const lines = ['id,code'];
    for (let i = 0; i < 30000; i++) lines.push(`${i},${i % 97}`);
    lines.push('30000,A7');
    const { profile, types } = await columnsOf('late.csv', lines.join('\n'));
    expect(profile.rows).toBe(30001);
    expect(types.code).toBe('VARCHAR');
  });

  test('a column the contract types as a string is read as text even where it looks numeric', async () => {
    await writeFile(join(dir, 'codes.csv'), 'zip,count\n12345,1\n67890,2\n');
    await writeFile(
      join(dir, 'codes.json'),
      JSON.stringify({ type: 'object', properties: { zip: { type: 'string', pattern: '^[0-9]{5}$' } } }),
    );
    const { profile, validation } = await validateData({
      data: join(dir, 'codes.csv'),
      contract: join(dir, 'codes.json'),
    });
    expect(validation.passed).toBe(true);
    const zip = profile.columns.find((column) => column.name === 'zip')!;
    expect(zip.sqlType).toBe('VARCHAR');
    expect(zip.categories!.values.map((entry) => entry.value)).toEqual(['12345', '67890']);
  });
});
