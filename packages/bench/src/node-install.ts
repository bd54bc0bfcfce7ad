/**
 * `--node 22` / `--node 24`: a Node binary for the server and client processes, from the repo's
 * one installer (scripts/node-install.mjs, which the test matrix uses too), so that the bench runs
 * exactly the Node versions CI pins. An exact version (`--node 24.11.1`) is taken as given.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** The installer of the repo at `repoDir`. */
export function installerIn(repoDir: string): string {
  return join(repoDir, "scripts/node-install.mjs");
}

/** Runs `installer` with `args`; what it prints, trimmed. Its one-line error becomes the Error's message. */
export function runInstaller(installer: string, args: readonly string[]): string {
  try {
    return execFileSync(process.execPath, [installer, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(stderr || (error instanceof Error ? error.message : String(error)));
  }
}

/** The path of a node binary of `spec`'s version: this process's own when it is that version, else the installer's. */
export function nodeFor(spec: string, installer: string, log: (line: string) => void): string {
  const version = runInstaller(installer, ["--resolve", spec]);
  if (process.version === `v${version}`) return process.execPath;
  log(`Node ${version} from scripts/node-install.mjs`);
  return runInstaller(installer, [spec]);
}
