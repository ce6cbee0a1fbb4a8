#!/usr/bin/env bash
# Runtime step 2 (on a cache miss): installs the pinned native packages into the action's own folder,
# never the user's workspace, then prunes other platforms' binaries so the cache stays small.
set -euo pipefail
root="$(cd "$GITHUB_ACTION_PATH/../.." && pwd)"
started=$(date +%s)
export ONNXRUNTIME_NODE_INSTALL=skip
npm install --prefix "$root/runtime" --no-package-lock --omit=dev --no-audit --no-fund --loglevel=error
rm -rf "$root/node_modules"
mv "$root/runtime/node_modules" "$root/node_modules"
node "$root/scripts/runtime/prune.mjs" "$root/node_modules"
echo "mlops: native runtime installed in $(( $(date +%s) - started ))s ($(du -sh "$root/node_modules" | cut -f1))"
