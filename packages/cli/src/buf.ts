import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { delimiter, dirname, join } from "node:path";
import { CliError } from "./cli-error.js";

/** The module id of buf's entry point in the `@bufbuild/buf` package, a Node.js script. */
export const bufModule = "@bufbuild/buf/bin/buf";

/**
 * The path of buf's entry point, resolved from `from` (a directory) as Node.js resolves packages:
 * the CLI's bin passes its own location, so the buf it depends on is used, never a global one.
 */
export function resolveBuf(from: string): string {
  try {
    return createRequire(join(from, "noop.js")).resolve(bufModule);
  } catch {
    throw new CliError(`cannot find the buf CLI (${bufModule}) from ${from}: reinstall @tsgrpc/cli`);
  }
}

/** What a buf run printed and how it ended. */
export interface BufResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs buf (its Node.js entry point `bufPath`) with `args` in `cwd`. */
export function runBuf(bufPath: string, args: readonly string[], cwd: string): Promise<BufResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bufPath, ...args],
      // Plugins named by `local:` are found in node_modules/.bin, as npm scripts find them.
      { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PATH: projectPath(cwd) } },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(new CliError(`cannot run buf: ${error.message}`));
          return;
        }
        resolve({ exitCode: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/** PATH with the `node_modules/.bin` of `cwd` and of each directory above it first (what `npm run` does). */
export function projectPath(cwd: string, path = process.env.PATH ?? ""): string {
  const bins: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    bins.push(join(dir, "node_modules", ".bin"));
    if (dirname(dir) === dir) break;
  }
  return [...bins, path].filter(Boolean).join(delimiter);
}
