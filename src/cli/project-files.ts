import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds a file shipped with mlops-actions (e.g. examples/weather/policy.yml) by walking up from the
 * running bundle, which sits in dist/ of a clone, of an npm install or of an action checkout.
 */
export function shippedFile(relativePath: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${relativePath} is missing from this installation of mlops-actions`);
    dir = parent;
  }
}
