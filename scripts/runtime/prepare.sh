#!/usr/bin/env bash
# Runtime step 1 of every action: checks the runner's Node and derives where the native packages go
# and the cache key (runner OS, architecture, Node major, and the pinned versions in runtime/package.json).
set -euo pipefail
root="$(cd "$GITHUB_ACTION_PATH/../.." && pwd)"
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$major" -lt 20 ]; then needs_node=true; else needs_node=false; fi
pins="$(node -e 'const d=require(process.argv[1]).dependencies;console.log(Object.entries(d).map(([n,v])=>n.replace(/[@/]/g,"")+"-"+v).join("-"))' "$root/runtime/package.json" 2>/dev/null || sha256sum "$root/runtime/package.json" | cut -c1-16)"
{
  echo "root=$root"
  echo "modules=$root/node_modules"
  echo "needs-node=$needs_node"
  echo "key=mlops-native-$RUNNER_OS-$RUNNER_ARCH-$pins"
} >> "$GITHUB_OUTPUT"
