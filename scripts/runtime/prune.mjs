// Removes the onnxruntime-node binaries of other platforms (its tarball carries all of them).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const modules = process.argv[2];
const napi = join(modules, 'onnxruntime-node', 'bin', 'napi-v6');
for (const platform of readdirSync(napi)) {
  if (platform !== process.platform) {
    rmSync(join(napi, platform), { recursive: true, force: true });
    continue;
  }
  for (const arch of readdirSync(join(napi, platform))) {
    if (arch !== process.arch) rmSync(join(napi, platform, arch), { recursive: true, force: true });
  }
}
