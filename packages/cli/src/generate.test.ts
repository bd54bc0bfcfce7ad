import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bufEntry, createProject, pluginBin, requireBuild } from "./__tests__/fixture-tree.js";
import { CliError } from "./cli-error.js";
import { formatBytes, formatReport, generate } from "./generate.js";
import { cliVersion } from "./version.js";

let project: ReturnType<typeof createProject>;
beforeAll(() => requireBuild(pluginBin));
beforeEach(() => {
  project = createProject();
});
afterEach(() => project.remove());

test("writes the generated files and reports them", async () => {
  const report = await generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto" });
  expect(report.files.map((f) => f.path)).toEqual(["gen/users/users_grpc.ts", "gen/users/users_pb.ts", "gen/users/users_types_pb.ts"]);
  const grpc = readFileSync(join(project.dir, "gen/users/users_grpc.ts"), "utf8");
  expect(grpc).toContain("export class UsersStub {");
  expect(report.files[0]?.bytes).toBe(Buffer.byteLength(grpc));
  expect(report.warnings).toBe("");
}, 30_000);

test("paths limit what is generated", async () => {
  const report = await generate({
    cwd: project.dir,
    buf: bufEntry,
    protoPath: "proto",
    paths: ["proto/users/users_types.proto"],
  });
  expect(report.files.map((f) => f.path)).toEqual(["gen/users/users_types_pb.ts"]);
}, 30_000);

test("a missing template is one clear error", async () => {
  const error = await generate({ cwd: project.dir, buf: bufEntry, config: "missing.gen.yaml" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).message).toBe(`missing.gen.yaml not found in ${project.dir}; pass --config FILE (a buf generation template)`);
});

test("a .proto syntax error names the file, line and column", async () => {
  writeFileSync(join(project.dir, "proto/users/broken.proto"), 'syntax = "proto3";\nmessage A { string a = 1 }\n');
  const error = await generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).message).toMatch(/^proto\/users\/broken\.proto:2:26:/);
}, 30_000);

test("a plugin error is reported as the plugin's message", async () => {
  const config = join(project.dir, "buf.gen.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace("elide_plugin_version=true", "bogus=1"));
  const error = await generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto" }).catch((e: unknown) => e);
  expect((error as CliError).message).toMatch(/^plugin .*protoc-gen-ts\.cjs: unknown option "bogus"; valid options: target,/);
}, 30_000);

test("formatReport", () => {
  const report = {
    files: [
      { path: "gen/a_grpc.ts", bytes: 4100, changed: true },
      { path: "gen/b.ts", bytes: 12, changed: false },
    ],
    elapsedMs: 843.2,
    warnings: "",
  };
  expect(formatReport(report)).toBe(
    ["generated 2 files (4.1 kB, 1 unchanged) in 0.84 s", "  gen/a_grpc.ts  4.1 kB", "  gen/b.ts       12 B     unchanged"].join("\n"),
  );
  expect(formatBytes(3_100_000)).toBe("3.1 MB");
});

test("cliVersion matches package.json", () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string };
  expect(cliVersion).toBe(pkg.version);
});
