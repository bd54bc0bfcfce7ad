// Test helpers: a throwaway project with the users protos and a buf.gen.yaml using the built plugin.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const repoRoot = join(__dirname, "..", "..", "..", "..");
export const pluginBin = join(repoRoot, "plugin", "bin", "protoc-gen-ts.cjs");
export const cliBin = join(repoRoot, "packages", "cli", "bin", "tsgrpc.cjs");
export const bufEntry = require.resolve("@bufbuild/buf/bin/buf");

/** A temp project: proto/users/*.proto and a buf.gen.yaml writing to gen/. Call `remove()` after. */
export function createProject(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "tsgrpc-cli-"));
  cpSync(join(repoRoot, "fixtures", "proto", "users"), join(dir, "proto", "users"), { recursive: true });
  writeFileSync(
    join(dir, "buf.gen.yaml"),
    [
      "version: v2",
      "plugins:",
      `  - local: ["node", ${JSON.stringify(pluginBin)}]`,
      "    out: gen # generated code",
      "    opt: elide_plugin_version=true",
      "",
    ].join("\n"),
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Fails with a clear message when a bin would run a missing or outdated build (bins run `dist`,
 * jest runs `src`). `bins` are paths of `<package>/bin/*.cjs`.
 */
export function requireBuild(...bins: string[]): void {
  for (const bin of bins) {
    const pkg = join(bin, "..", "..");
    const hint = `run \`npx turbo run build --filter=@tsgrpc/cli\` first`;
    let builtAt: number;
    try {
      builtAt = statSync(join(pkg, "dist", "esm", "index.js")).mtimeMs;
    } catch {
      throw new Error(`${join(pkg, "dist")} is missing: ${hint}`);
    }
    const sources = readdirSync(join(pkg, "src"), { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("__tests__"),
    );
    const stale = sources.find((f) => statSync(join(pkg, "src", f)).mtimeMs > builtAt);
    if (stale !== undefined) {
      throw new Error(`${join(pkg, "dist")} is older than src/${stale}: ${hint}`);
    }
  }
}

/**
 * Packs the runtime, plugin and CLI into `destination` as npm would ship them, without their
 * prepack rebuild (the other suites run the built bins meanwhile; call `requireBuild` first).
 */
export function packTarballs(destination: string): { runtime: string; plugin: string; cli: string } {
  const pack = (dir: string) => {
    const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], {
      cwd: join(repoRoot, dir),
      encoding: "utf8",
    });
    const [info] = JSON.parse(out) as { filename: string }[];
    return join(destination, info?.filename ?? "");
  };
  return { runtime: pack("runtime"), plugin: pack("plugin"), cli: pack("packages/cli") };
}
