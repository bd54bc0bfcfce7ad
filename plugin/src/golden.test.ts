import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { protoc, repoRoot } from "./__tests__/protos.js";
import { bufEntry, listFiles, pluginBin, readTree, requireFreshBuild, run } from "./__tests__/tools.js";

// The golden files are written by `buf generate` with the repository's buf.gen.yaml. To update
// them after a deliberate change: `npm run golden -w @tsgrpc/protoc-gen-ts`, then review the diff.
const golden = join(repoRoot, "fixtures", "golden");
// Every fixture but the editions file, which protoc 3.21 rejects (buf generates it).
const fixtureProtos = listFiles(join(repoRoot, "fixtures", "proto")).filter((f) => f !== "syntax/editions.proto");

let tmp: string;
beforeAll(() => {
  requireFreshBuild();
  tmp = mkdtempSync(join(tmpdir(), "tsgrpc-golden-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A readable report of every difference between two trees of generated files. */
function treeDiff(expectedDir: string, actualDir: string): string {
  const expected = readTree(expectedDir);
  const actual = readTree(actualDir);
  const report: string[] = [];
  for (const name of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(name);
    const a = actual.get(name);
    if (e === undefined) {
      report.push(`not in the golden files: ${name}`);
    } else if (a === undefined) {
      report.push(`no longer generated: ${name}`);
    } else if (e !== a) {
      report.push(createTwoFilesPatch(`golden/${name}`, `generated/${name}`, e, a));
    }
  }
  return report.join("\n");
}

test("buf generate reproduces the checked-in golden files", async () => {
  const out = join(tmp, "buf");
  const result = await run(
    process.execPath,
    [bufEntry, "generate", "--template", "buf.gen.yaml", "--output", out],
    undefined,
    repoRoot,
    80_000,
  );
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const diff = treeDiff(golden, join(out, "fixtures", "golden"));
  if (diff !== "") {
    throw new Error(`generated code differs from fixtures/golden (npm run golden updates it):\n${diff}`);
  }
}, 90_000);

test("protoc --ts_out writes the same bytes as buf generate", async () => {
  const out = join(tmp, "protoc");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await run(protoc, [
    "-I",
    "fixtures/proto",
    `--plugin=protoc-gen-ts=${pluginBin}`,
    `--ts_out=${out}`,
    "--ts_opt=elide_plugin_version=true",
    ...fixtureProtos,
  ]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const expected = join(tmp, "expected");
  cpSync(join(golden, "default"), expected, { recursive: true });
  rmSync(join(expected, "syntax", "editions_pb.ts"));
  rmSync(join(expected, "syntax", "editions_grpc.ts"));
  const diff = treeDiff(expected, out);
  if (diff !== "") {
    throw new Error(`protoc and buf disagree:\n${diff}`);
  }
}, 30_000);
