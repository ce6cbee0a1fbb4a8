import { existsSync, statSync } from 'node:fs';
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';

/** Why an output path cannot be written, in words (bad usage: exit 2, naming the path). */
function unwritable(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const isFolder = code === 'EISDIR' || (existsSync(path) && statSync(path).isDirectory());
  const reason = isFolder
    ? 'is a folder; give a file path'
    : code === 'EEXIST' || code === 'ENOTDIR'
      ? 'a file stands where a folder of this path should be'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'no space left on the device'
          : code === 'ENOENT'
            ? 'its folder cannot be created here'
            : (error as Error).message;
  return new InputError(`cannot write the output: ${reason}`, { file: path });
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir spins forever where the kernel answers
 * ENOENT for a folder whose parent exists (under /proc).
 */
export async function makeFolder(dir: string): Promise<void> {
  const create = () =>
    mkdir(dir).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir).isDirectory()) return;
      throw error;
    });
  try {
    await create();
  } catch (error) {
    const parent = dirname(dir);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir || existsSync(parent))
      throw error;
    await makeFolder(parent);
    await create();
  }
}

/**
 * Refuses to write where anything but a regular file (or nothing) stands. Renaming over a symbolic
 * link would replace the link, and writing through it would let a link committed into a checkout
 * point an output at any file the job may write; a device or a pipe would be replaced by a file.
 */
async function refuseNonFileTarget(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (!info || info.isFile()) return;
  if (info.isDirectory()) throw unwritable(path, { code: 'EISDIR' });
  const what = info.isSymbolicLink()
    ? 'a symbolic link; give the path of the file itself'
    : 'a device or a pipe';
  throw new InputError(`cannot write the output: it is ${what}`, { file: path });
}

/** Writes through a temp file in the same folder and renames it, so readers never see half a file. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await refuseNonFileTarget(path);
  await makeFolder(dirname(path)).catch((error: unknown) => {
    throw unwritable(path, error);
  });
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw unwritable(path, error);
  }
}

/**
 * Refuses an extra output path (--predictions, --infer-contract) that is one of the files the command
 * writes into its output folder: one would silently replace the other.
 */
export function refuseOutputClash(path: string, dir: string, names: string[], option: string): void {
  const clash = names.find((name) => resolve(join(dir, name)) === resolve(path));
  if (clash !== undefined)
    throw new InputError(`${option} would overwrite this run's ${clash}; choose another path`, {
      file: path,
    });
}

/** Writes several files only after all of them are ready, so a failure leaves no partial output. */
export async function writeOutputs(
  dir: string,
  files: Record<string, string | Uint8Array>,
): Promise<string[]> {
  if (!dir.trim()) throw new InputError('the output folder is empty; give a folder path');
  // Every target is checked before any is written: a folder where a file should go would otherwise
  // fail the run after the files before it were replaced.
  for (const name of Object.keys(files)) await refuseNonFileTarget(join(dir, name));
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFileAtomic(path, content);
    written.push(path);
  }
  return written;
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
