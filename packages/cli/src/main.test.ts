import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliBin, createProject, pluginBin, requireBuild } from "./__tests__/fixture-tree.js";

interface Exited {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `tsgrpc` bin in `cwd`. */
function tsgrpc(cwd: string, ...args: string[]): Promise<Exited> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliBin, ...args], { cwd, encoding: "utf8", timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

let project: ReturnType<typeof createProject>;
beforeAll(() => requireBuild(cliBin, pluginBin));
beforeEach(() => {
  project = createProject();
});
afterEach(() => project.remove());

test("tsgrpc generate writes the files and lists them", async () => {
  const result = await tsgrpc(project.dir, "generate", "--proto-path", "proto");
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(
    /^generated 3 files \(\d+\.\d kB\) in \d+\.\d\d s\n {2}gen\/users\/users_grpc\.ts +\d+\.\d kB\n {2}gen\/users\/users_pb\.ts +\d/,
  );
  expect(readFileSync(join(project.dir, "gen/users/users_grpc.ts"), "utf8")).toContain("export class UsersStub {");
}, 30_000);

test("with clean: true, a second run lists the files it generated unchanged", async () => {
  const config = join(project.dir, "buf.gen.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace("version: v2\n", "version: v2\nclean: true\n"));
  await tsgrpc(project.dir, "generate", "--proto-path", "proto");
  const again = await tsgrpc(project.dir, "generate", "--proto-path", "proto");
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/^generated 3 files \(\d+\.\d kB, 3 unchanged\) in \d+\.\d\d s\n {2}gen\/users\/users_grpc\.ts +\d+\.\d kB +unchanged\n/);
}, 30_000);

test.each([
  [["generate", "--config", "nope.yaml"], /^tsgrpc generate: nope\.yaml not found in .*; pass --config FILE \(a buf generation template\)\n$/],
  [["generate", "--proto-path", "missing"], /^tsgrpc generate: --proto-path missing is not a directory\n$/],
  [["generate", "--bogus"], /^tsgrpc: Unknown argument: bogus \(tsgrpc --help lists the options\)\n$/],
  [[], /^tsgrpc: name a command: tsgrpc generate \(tsgrpc --help lists the options\)\n$/],
])("tsgrpc %j fails with one line", async (args, stderr) => {
  const result = await tsgrpc(project.dir, ...args);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(stderr);
  expect(result.stdout).toBe("");
}, 30_000);

test("a .proto syntax error: exit code 1, the diagnostic on one line, no stack", async () => {
  writeFileSync(join(project.dir, "proto/users/users.proto"), 'syntax = "proto3";\nservice Users {\n');
  const result = await tsgrpc(project.dir, "generate", "--proto-path", "proto");
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^tsgrpc generate: proto\/users\/users\.proto:2:15:encountered unmatched `\{` delimiter\n$/);
}, 30_000);

test("--version and --help", async () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string };
  const version = await tsgrpc(project.dir, "--version");
  expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  const help = await tsgrpc(project.dir, "generate", "--help");
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("--proto-path");
  expect(help.stdout).toContain("--config");
}, 30_000);
