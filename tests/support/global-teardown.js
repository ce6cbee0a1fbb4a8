import { rmSync } from 'node:fs';

export default function globalTeardown() {
  if (process.env.MLOPS_TEST_BUNDLES)
    rmSync(process.env.MLOPS_TEST_BUNDLES, { recursive: true, force: true });
}
