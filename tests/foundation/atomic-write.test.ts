import { lstat, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeOutputs } from '../../src/core/io/atomic-write.js';

describe('writing outputs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-write-'));
  });

  test('a symbolic link is refused: neither replaced nor written through', async () => {
    await writeFile(join(dir, 'target.json'), 'old');
    await symlink('target.json', join(dir, 'link.json'));
    await expect(writeFileAtomic(join(dir, 'link.json'), 'new')).rejects.toThrow(
      /link\.json: cannot write the output: it is a symbolic link/,
    );
    expect((await lstat(join(dir, 'link.json'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'target.json'), 'utf8')).toBe('old');
  });

  test('a pipe is refused, and stays a pipe', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    await expect(writeFileAtomic(join(dir, 'pipe.json'), 'x')).rejects.toThrow(
      /pipe\.json: cannot write the output: it is a device or a pipe/,
    );
    expect((await lstat(join(dir, 'pipe.json'))).isFIFO()).toBe(true);
  });

  test('an empty output folder is refused, not taken as the current folder', async () => {
    await expect(writeOutputs('', { 'a.json': 'x' })).rejects.toThrow(/the output folder is empty/);
  });

  test('a folder where one output goes fails the run before any output is replaced', async () => {
    await writeFile(join(dir, 'a.json'), 'earlier run');
    await mkdir(join(dir, 'b.json'));
    await expect(writeOutputs(dir, { 'a.json': 'this run', 'b.json': 'this run' })).rejects.toThrow(
      /b\.json: cannot write the output: is a folder/,
    );
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('earlier run');
  });
});
