// The published packages as npm would ship them: publint and @arethetypeswrong/cli (run on the
// packed tarball) must report nothing, for ESM and CommonJS consumers alike.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./__tests__/fixture-tree.js";

const packages = ["runtime", "plugin", "packages/cli"];
const bin = (name: string) => join(repoRoot, "node_modules", ".bin", name);

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // attw --pack runs npm pack: without its prepack rebuild under the other suites' feet.
    const env = { ...process.env, npm_config_ignore_scripts: "true" };
    execFile(command, args, { cwd, encoding: "utf8", timeout: 60_000, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), output: stdout + stderr });
    });
  });
}

test.each(packages)(
  "publint finds nothing to report in %s",
  async (dir) => {
    const { code, output } = await run(bin("publint"), ["--strict"], join(repoRoot, dir));
    expect(output).toContain("All good!");
    expect(code).toBe(0);
  },
  60_000,
);

test.each(packages)(
  "attw finds no type-resolution problem in %s",
  async (dir) => {
    const { code, output } = await run(bin("attw"), ["--pack", ".", "--format", "json"], join(repoRoot, dir));
    expect(code).toBe(0);
    const report = JSON.parse(output.slice(output.indexOf("{"))) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems).toEqual([]);
  },
  60_000,
);
