// Adds a minimal record to package-lock.json for every platform-specific optional dependency that
// npm left out of it (`@turbo/darwin-64`, `@bufbuild/buf-win32-x64`, …).
//
// Why: the npm registry reachable from our machines serves only the Linux builds of such
// packages, so `npm install` here cannot record the others, and npm 11's `npm ci` then refuses
// the lockfile ("Missing: @turbo/darwin-64@ from lock file"; fixed upstream in npm/cli#9083).
// A record marked `optional` satisfies `npm ci`, which skips it on Linux and installs it where
// the registry has it. Run after every `npm install`: `npm run lockfile`. Another project's
// lockfile (packages/bench/anchors): `node scripts/complete-lockfile.mjs <path/to/package-lock.json>`.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const path = process.argv[2] ? resolve(process.argv[2]) : new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
let added = 0;

for (const [location, record] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(record.optionalDependencies ?? {})) {
    if (resolvable(location, name)) continue;
    const version = exactVersion(spec, name);
    const key = packages[`node_modules/${name}`] ? `${location}/node_modules/${name}` : `node_modules/${name}`;
    packages[key] = { version, ...(record.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}

// Keep npm's own ordering: keys sorted, the root package first.
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform package record(s)`);

/** Whether Node's resolution from `location` would find a record of `name`. */
function resolvable(location, name) {
  for (let dir = location; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf("/node_modules/")))) {
    if (packages[`${dir ? `${dir}/` : ""}node_modules/${name}`]) return true;
    if (!dir.includes("node_modules/")) return Boolean(packages[`node_modules/${name}`]);
  }
}

function exactVersion(spec, name) {
  const version = spec.replace(/^[\^~=]/, "");
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
    throw new Error(`complete-lockfile: cannot pin ${name}@${spec}; add its record by hand`);
  }
  return version;
}
