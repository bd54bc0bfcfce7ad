#!/usr/bin/env bash
# Runs the runtime, plugin and cli test suites and the users demo under other Node versions:
# `npm run test:node` (22 and 24) or `npm run test:node -- 24`. `.ci/run` calls it after `npm test`,
# which covers the system Node (20).
#
# The node binaries come from scripts/node-install.mjs, the one installer (the bench's `--node`
# uses it too): the npm packages `node-<platform>-<arch>`, at the versions pinned there, cached
# in ~/.cache/tsgrpc-node — nothing is downloaded from anywhere but the registry.
#
# Build and code generation run on the system Node (their output does not depend on it; after
# `npm test` turbo replays them from its cache). The tests run with the other node's binary, first
# in PATH, so that what they spawn as `node` (buf's local plugins, the consumer projects) runs on
# it too.
set -euo pipefail
cd "$(dirname "$0")/.."

export TURBO_TELEMETRY_DISABLED=1
export NO_UPDATE_NOTIFIER=1

majors=("$@")
[ ${#majors[@]} -gt 0 ] || read -r -a majors <<<"$(node scripts/node-install.mjs --pinned)"
# Each major's binary, installed before anything runs (an unknown major fails here, naming the pinned ones).
declare -A node_bin
for major in "${majors[@]}"; do
  node_bin[$major]=$(node scripts/node-install.mjs "$major")
done

npx turbo run build generate --output-logs=errors-only

for major in "${majors[@]}"; do
  bin=$(dirname "${node_bin[$major]}")
  version=$("$bin/node" --version)
  start=$SECONDS
  echo "node-matrix: Node $("$bin/node" --version): runtime (default server transport, both client transports), plugin and cli tests, then the users demo"
  # The runtime's suites on the default server transport (node-http2, whose HTTP/2 is the Node
  # version's own); grpc-js's server runs once, on the system Node, in npm test. The server soak
  # (100,000 RPCs, half a minute) needs Node 22 or later (see server-soak.int.test.ts) and runs
  # once, on the newest.
  ignore="server-soak\.int\.test"
  [[ $major == "${majors[-1]}" ]] && ignore="^$"
  # The client suites on the node-http2 client transport too: its HTTP/2 is the Node version's own.
  PATH="$bin:$PATH" "$bin/node" node_modules/jest/bin/jest.js --selectProjects runtime "runtime (node-http2 client)" plugin packages/cli \
    --testPathIgnorePatterns "$ignore"
  (cd packages/examples && PATH="$bin:$PATH" "$bin/node" dist/users/demo.js)
  echo "node-matrix: Node $version passed in $((SECONDS - start)) s"
done
echo "node-matrix: Node ${majors[*]} passed; ${SECONDS} s in all"
