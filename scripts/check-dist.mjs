// Fails when the committed dist/ differs from a fresh build of the sources (or actions/*.yml are out of sync).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const fresh = '.dist-check';
execFileSync(process.execPath, ['scripts/bundle.mjs', '--outdir', fresh], { stdio: 'inherit' });
const names = new Set([...readdirSync('dist'), ...readdirSync(fresh)]);
const differing = [...names].filter((name) => {
  try {
    return !readFileSync(join('dist', name)).equals(readFileSync(join(fresh, name)));
  } catch {
    return true;
  }
});
rmSync(fresh, { recursive: true, force: true });
if (differing.length) {
  console.error(
    `dist/ differs from a fresh build: ${differing.join(', ')}. Run npm run package and commit dist/.`,
  );
  process.exit(1);
}
execFileSync(process.execPath, ['scripts/sync-actions.mjs', '--check'], { stdio: 'inherit' });
console.log('dist/ matches a fresh build; action.yml files are in sync');
