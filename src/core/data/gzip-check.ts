import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';

export function isGzip(file: string): boolean {
  return /\.gz$/i.test(file);
}

/**
 * Decompresses a .gz file to nowhere, to prove the stream is whole. DuckDB reads a gzip stream that
 * was cut short as far as it goes: cut inside a row it reports a confusing CSV error, cut between
 * rows it reports nothing and the data silently lacks its tail.
 */
export function checkGzip(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) =>
      reject(new InputError(`truncated or corrupt gzip stream (${error.message})`, { file }));
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on('error', fail)
      .pipe(createGunzip())
      .on('error', fail)
      .on('data', () => undefined)
      .on('end', () => resolve());
  });
}
