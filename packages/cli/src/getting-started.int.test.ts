// docs/getting-started.md, followed as a new user would: its shell blocks marked
// `<!-- getting-started:run -->` run in order, in one bash, in a new empty directory, with `TSGRPC`
// pointing at freshly packed tarballs (what `npm run pack` writes); they must exit 0 and print the
// starter's output. The guide's copy of each starter file (`<!-- getting-started:file PATH -->`)
// must be what `tsgrpc init` writes. The guide is the test's input, so it cannot drift.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliBin, packTarballs, pluginBin, repoRoot, requireBuild } from "./__tests__/fixture-tree.js";
import { initFiles } from "./init-files.js";

const guide = readFileSync(join(repoRoot, "docs", "getting-started.md"), "utf8");

/** The fenced blocks that follow a `<!-- getting-started:KIND ARG -->` marker. */
function marked(kind: string): { arg: string; body: string }[] {
  const pattern = new RegExp(`<!-- getting-started:${kind}(?: ([^ ]+))? -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``, "g");
  return [...guide.matchAll(pattern)].map((match) => ({ arg: match[1] ?? "", body: match[2] ?? "" }));
}

test("the guide shows the starter files as tsgrpc init writes them", () => {
  const files = marked("file");
  expect(files.length).toBeGreaterThan(0);
  for (const { arg, body } of files) expect({ file: arg, body }).toEqual({ file: arg, body: initFiles[arg] });
});

test("the guide's commands, run in a new directory, install, generate and run the starter", async () => {
  requireBuild(cliBin, pluginBin);
  const blocks = marked("run");
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  const clone = mkdtempSync(join(tmpdir(), "tsgrpc-guide-clone-"));
  const home = mkdtempSync(join(tmpdir(), "tsgrpc-guide-"));
  try {
    mkdirSync(join(clone, "packed"));
    packTarballs(join(clone, "packed"));
    const script = ["set -euo pipefail", ...blocks.map((block) => block.body)].join("\n");
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        "bash",
        ["-c", script],
        {
          cwd: home,
          encoding: "utf8",
          timeout: 300_000,
          env: { ...process.env, TSGRPC: clone, npm_config_loglevel: "error", npm_config_audit: "false", npm_config_fund: "false" },
        },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
      );
    });
    expect({ code: result.code, stderr: result.code === 0 ? "" : result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/generated 2 files .*\n\s+src\/gen\/greeter\/v1\/greeter_grpc\.ts/);
    expect(result.stdout.trimEnd().split("\n").slice(-3)).toEqual(["hello tom (asked by main.ts)", "en: hello ann", "fr: hello ann"]);
  } finally {
    rmSync(clone, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}, 360_000);
