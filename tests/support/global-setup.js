// Bundles the current sources once per test run into .test-dist/ (inside the repo, so the native
// packages resolve from node_modules); tests run those bundles exactly as the runner runs dist/.
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  execFileSync(process.execPath, ['scripts/bundle.mjs', '--outdir', '.test-dist'], { stdio: 'inherit' });
}
