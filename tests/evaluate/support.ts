import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoData } from '../../examples/demo-data/write.js';
import { REPO_ROOT } from '../support/run-bundle.js';

export const FIXTURES = join(REPO_ROOT, 'tests/fixtures/evaluate');
export const fixture = (name: string) => join(FIXTURES, name);

/** Small demo test split (with missing values), plus a copy without any row that has an empty cell. */
export async function demoData(rows = 900): Promise<{ dir: string; test: string; complete: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-evaluate-'));
  const files = await writeDemoData({ dir, rows, seed: 11, layout: 'splits' });
  const lines = (await readFile(files.test.path, 'utf8')).trimEnd().split('\n');
  const complete = join(dir, 'complete.csv');
  await writeFile(
    complete,
    `${[lines[0], ...lines.slice(1).filter((line) => !line.split(',').includes(''))].join('\n')}\n`,
  );
  return { dir, test: files.test.path, complete };
}

/** Parses the simple CSVs the tests write and read (no quoted commas). */
export function parseCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trimEnd().split('\n');
  const names = header.split(',');
  return rows.map((line) => Object.fromEntries(line.split(',').map((value, index) => [names[index], value])));
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
