import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { constants, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-bundle.js';

/** The first rows of a gzip stream flushed at a row boundary, the rest of the stream lost. */
function cutBetweenRows(text: string): Buffer {
  return gzipSync(text, { finishFlush: constants.Z_SYNC_FLUSH });
}

/** Each bad input: exit 2, one line on stderr naming the file (and row/column/key), no output files. */
const CASES: { name: string; files: Record<string, string | Buffer>; args: string[]; message: RegExp }[] = [
  {
    name: 'ragged rows',
    files: { 'd.csv': 'a,b\n1,2\n3,4,5\n6,7\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv, row 2: cannot read as csv: has 3 fields, but the header has 2$/m,
  },
  {
    name: 'bad quoting',
    files: { 'd.csv': 'a,b\n1,"x\n2,y\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv, row 1: cannot read as csv: a quoted field is never closed \(unterminated quote\)$/m,
  },
  {
    name: 'wrong encoding',
    files: { 'd.csv': Buffer.from('a,b\n1,caf\xe9\n', 'latin1') },
    args: ['--data', 'd.csv'],
    message: /d\.csv, row 1: cannot read as csv: is not UTF-8 text/,
  },
  {
    name: 'truncated Parquet',
    files: {
      'd.parquet': Buffer.from('PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00\x12\x00\x00', 'latin1'),
    },
    args: ['--data', 'd.parquet'],
    message: /d\.parquet: cannot read as parquet/,
  },
  {
    name: 'malformed JSONL',
    files: { 'd.jsonl': '{"a": 1}\n{"a": }\n' },
    args: ['--data', 'd.jsonl'],
    message: /d\.jsonl: cannot read as jsonl: Malformed JSON/,
  },
  {
    name: 'a gzip stream cut short inside a row',
    files: { 'd.csv.gz': gzipSync(`a,b\n${'1,2\n'.repeat(5000)}`).subarray(0, 40) },
    args: ['--data', 'd.csv.gz'],
    message: /d\.csv\.gz: truncated or corrupt gzip stream/,
  },
  {
    name: 'a gzip stream cut short between rows (DuckDB alone would read the rows before the cut)',
    files: { 'd.csv.gz': cutBetweenRows(`a,b\n${'1,2\n'.repeat(5000)}`) },
    args: ['--data', 'd.csv.gz'],
    message: /d\.csv\.gz: truncated or corrupt gzip stream/,
  },
  {
    name: 'a NUL byte in the header',
    files: { 'd.csv': 'a\u0000b,c\n1,2\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv: holds NUL bytes: this is not UTF-8 text/,
  },
  {
    name: 'a UTF-16 file (as Excel saves "Unicode text")',
    files: { 'd.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]) },
    args: ['--data', 'd.csv'],
    message: /d\.csv: is UTF-16 or UTF-32 text .*; save the file as UTF-8/,
  },
  {
    name: 'a small gzipped CSV with a ragged row: the row, as for plain CSV',
    files: { 'd.csv.gz': gzipSync('a,b\n1,2\n3,4,5\n') },
    args: ['--data', 'd.csv.gz'],
    message: /d\.csv\.gz, row 2: cannot read as csv: has 3 fields, but the header has 2$/m,
  },
  {
    name: 'a ragged row after comment lines: its data row, the comments not counted',
    files: { 'd.csv': '# exported by a tool\n# on a day\nid,value\n1,10\n2,20,99\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv, row 2: cannot read as csv: has 3 fields, but the header has 2$/m,
  },
  {
    name: 'only blank lines',
    files: { 'd.csv': '\n\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv: has no header: only blank lines/,
  },
  {
    name: 'a .tsv file of commas',
    files: { 'd.tsv': 'a,b,c\n1,2,3\n' },
    args: ['--data', 'd.tsv'],
    message:
      /d\.tsv: reads as one column: its header is separated by commas, but a \.tsv file is tab-separated/,
  },
  {
    name: 'a .csv file of tabs',
    files: { 'd.csv': 'a\tb\n1\t2\n' },
    args: ['--data', 'd.csv'],
    message:
      /d\.csv: reads as one column: its header is separated by tabs, but a \.csv file is comma-separated/,
  },
  {
    name: 'a multi-line quoted field before a ragged row: the data row, not the file line',
    files: { 'd.csv': 'a,b\n1,"two\nlines"\n2,x\n3,x,extra\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv, row 3: cannot read as csv: has 3 fields, but the header has 2$/m,
  },
  {
    name: 'a header and no rows',
    files: { 'd.csv': 'a,b\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv: has no data rows/,
  },
  {
    name: 'an empty file',
    files: { 'd.csv': '' },
    args: ['--data', 'd.csv'],
    message: /d\.csv: file is empty/,
  },
  {
    name: 'NaN in a numeric column',
    files: { 'd.csv': 'a,b\n1,2.5\n2,NaN\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv, row 2, column "b": "NaN" is not a finite number/,
  },
  {
    name: 'Infinity in a numeric column',
    files: { 'd.csv': 'a,b\n1,2.5\n2,-Infinity\n' },
    args: ['--data', 'd.csv'],
    message: /d\.csv, row 2, column "b": "-Infinity"/,
  },
  {
    name: 'a column the contract needs but the data lacks',
    files: {
      'd.csv': 'a,b\n1,2\n',
      'c.json': JSON.stringify({ type: 'object', properties: { z: {} }, required: ['z'] }),
    },
    args: ['--data', 'd.csv', '--contract', 'c.json'],
    message: /d\.csv, column "z": the contract requires column "z"/,
  },
  {
    name: 'a contract that is not valid JSON Schema',
    files: {
      'd.csv': 'a,b\n1,2\n',
      'c.json': JSON.stringify({ type: 'object', properties: { a: { type: 'int' } } }),
    },
    args: ['--data', 'd.csv', '--contract', 'c.json'],
    message: /c\.json, key "properties\.a\.type"/,
  },
  { name: 'a missing file', files: {}, args: ['--data', 'nope.csv'], message: /nope\.csv: file not found/ },
  {
    name: 'a contract draft path under a file (nothing else is written either)',
    files: { 'd.csv': 'a\n1\n', afile: 'x' },
    args: ['--data', 'd.csv', '--infer-contract', 'afile/c.json'],
    message: /afile\/c\.json: cannot write the output: a file stands where a folder of this path should be/,
  },
  {
    name: 'a contract draft path that is a folder',
    files: { 'd.csv': 'a\n1\n' },
    args: ['--data', 'd.csv', '--infer-contract', '.'],
    message: /\.: cannot write the output: is a folder; give a file path/,
  },
  {
    name: 'a contract draft path where no folder can be made (a recursive mkdir spins on /proc)',
    files: { 'd.csv': 'a\n1\n' },
    args: ['--data', 'd.csv', '--infer-contract', '/proc/mlops-none/c.json'],
    message: /\/proc\/mlops-none\/c\.json: cannot write the output: its folder cannot be created here/,
  },
  {
    name: 'an unsupported extension',
    files: { 'd.xlsx': 'x' },
    args: ['--data', 'd.xlsx'],
    message: /d\.xlsx: unsupported file type/,
  },
  {
    name: 'a reference profile that is not a profile',
    files: { 'd.csv': 'a\n1\n', 'p.json': '{"rows": 3}' },
    args: ['--data', 'd.csv', '--reference', 'p.json'],
    message: /p\.json, key "schemaVersion": is required/,
  },
];

describe('bad input: a clear message, exit 2, no partial files', () => {
  test.each(CASES)('$name', async ({ files, args, message }) => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-bad-'));
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    const { exitCode, stderr } = await runCli(['validate-data', ...args, '--out', 'out'], { cwd: dir });
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(exitCode).toBe(2);
    expect((await readdir(dir)).filter((name) => name === 'out')).toEqual([]);
  });

  test('gzip CSV reads like plain CSV', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-gz-'));
    await writeFile(join(dir, 'd.csv.gz'), gzipSync('a,b\n1,x\n2,y\n'));
    const { exitCode, stdout } = await runCli(['validate-data', '--data', 'd.csv.gz', '--out', 'out'], {
      cwd: dir,
    });
    expect(exitCode).toBe(0);
    expect(stdout).toContain('2 rows');
  });
});
