// Test helpers for the real entry points: the built plugin bin, protoc and buf.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./protos.js";

export const execFileAsync = promisify(execFile);

/** The plugin's bin, as protoc and buf run it. */
export const pluginBin = join(repoRoot, "plugin", "bin", "protoc-gen-ts.cjs");

/** buf from the `@bufbuild/buf` devDependency (no global install). */
export const bufEntry = require.resolve("@bufbuild/buf/bin/buf");

/**
 * Fails with a clear message when the bin would run a missing or outdated build: the bin runs
 * `dist/cjs`, while jest runs `src`.
 */
export function requireFreshBuild(): void {
  const built = join(repoRoot, "plugin", "dist", "cjs", "index.js");
  let builtAt: number;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    throw new Error("plugin/dist is missing: run `npx turbo run build --filter=@tsgrpc/protoc-gen-ts` first");
  }
  const src = join(repoRoot, "plugin", "src");
  const stale = listFiles(src).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("__tests__") && statSync(join(src, f)).mtimeMs > builtAt,
  );
  if (stale.length > 0) {
    throw new Error(`plugin/dist is older than plugin/src/${stale[0]}: run \`npx turbo run build --filter=@tsgrpc/protoc-gen-ts\` first`);
  }
}

/** Every file below `dir`, as sorted relative paths with `/` separators. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else {
        out.push(relative(dir, path).split("\\").join("/"));
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** The files below `dir` and their contents. */
export function readTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

/** The outcome of a finished child process. */
export interface Exited {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs `file` with `args`, writing `input` to its stdin; resolves when it exits, whatever its code. */
export function run(file: string, args: readonly string[], input?: Uint8Array, cwd = repoRoot, timeoutMs = 20_000): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { cwd, encoding: "buffer", timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") {
        reject(error);
        return;
      }
      resolve({ code: child.exitCode, stdout, stderr: stderr.toString("utf8") });
    });
    // A child that exits without reading its stdin is not an error here.
    child.stdin?.on("error", () => {});
    child.stdin?.end(input ?? new Uint8Array(0));
  });
}
