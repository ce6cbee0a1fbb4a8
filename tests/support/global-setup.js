// Bundles the current sources once per test run into its own folder under .test-dist/ (inside the repo,
// so the native packages resolve from node_modules; one folder per run, so parallel runs don't collide).
// Tests run those bundles exactly as the runner runs dist/.
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  const outdir = `.test-dist/run-${process.pid}`;
  execFileSync(process.execPath, ['scripts/bundle.mjs', '--outdir', outdir], { stdio: 'inherit' });
  process.env.MLOPS_TEST_BUNDLES = outdir;
}
