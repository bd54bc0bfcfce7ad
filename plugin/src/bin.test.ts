import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { protoc, requestFor } from "./__tests__/protos.js";
import { pluginBin, requireFreshBuild, run } from "./__tests__/tools.js";
import { optionNames } from "./options.js";

let tmp: string;
beforeAll(() => {
  requireFreshBuild();
  tmp = mkdtempSync(join(tmpdir(), "tsgrpc-bin-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function protocWith(options: string) {
  return run(protoc, [
    "-I",
    "fixtures/proto",
    `--plugin=protoc-gen-ts=${pluginBin}`,
    `--ts_out=${tmp}`,
    `--ts_opt=${options}`,
    "users/users.proto",
  ]);
}

test("protoc reports an unknown option, naming it and listing the valid ones", async () => {
  const result = await protocWith("bogus=1");
  expect(result.code).not.toBe(0);
  expect(result.stderr).toBe(`--ts_out: unknown option "bogus"; valid options: ${optionNames.join(", ")}\n`);
});

test("protoc reports an invalid value, listing the valid ones", async () => {
  const result = await protocWith("method_names=snake");
  expect(result.code).not.toBe(0);
  expect(result.stderr).toBe(`--ts_out: invalid value "snake" for option "method_names"; valid values: proto, camel\n`);
});

test("an unreadable request: exit code 1 and one line on stderr", async () => {
  const result = await run(process.execPath, [pluginBin], Buffer.from("\xff\xff\xff garbage, not a request"));
  expect(result.code).toBe(1);
  expect(result.stdout.length).toBe(0);
  expect(result.stderr).toMatch(/^protoc-gen-ts: cannot read the CodeGeneratorRequest on stdin \(.+\)\n$/);
});

test("an empty stdin: exit code 1 and one line on stderr", async () => {
  const result = await run(process.execPath, [pluginBin], new Uint8Array(0));
  expect(result.code).toBe(1);
  expect(result.stdout.length).toBe(0);
  expect(result.stderr).toBe("protoc-gen-ts: the CodeGeneratorRequest on stdin is empty: run the plugin through protoc or buf\n");
});

test("a truncated request: exit code 1 and one line on stderr", async () => {
  const bytes = toBinary(
    CodeGeneratorRequestSchema,
    requestFor({ "a.proto": `syntax = "proto3"; package a; message M {} service S { rpc X(M) returns (M); }` }),
  );
  const result = await run(process.execPath, [pluginBin], bytes.subarray(0, Math.floor(bytes.length / 2)));
  expect(result.code).toBe(1);
  expect(result.stdout.length).toBe(0);
  expect(result.stderr).toMatch(/^protoc-gen-ts: cannot read the CodeGeneratorRequest on stdin \(.+\)\n$/);
});

test("a request naming a file it does not contain: the error in the response, exit code 0, no files", async () => {
  const request = requestFor({ "a.proto": `syntax = "proto3"; package a; message M {}` });
  request.fileToGenerate.push("missing.proto");
  const result = await run(process.execPath, [pluginBin], toBinary(CodeGeneratorRequestSchema, request));
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const response = fromBinary(CodeGeneratorResponseSchema, result.stdout);
  expect(response.error).toBe("files_to_generate missing in the request: missing.proto");
  expect(response.file).toEqual([]);
});

test("arguments print usage: exit code 1 and one line on stderr", async () => {
  const result = await run(process.execPath, [pluginBin, "users.proto"]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^protoc-gen-ts: expects a CodeGeneratorRequest on stdin .*\n$/);
});

test("--version prints the name and the package version", async () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string };
  const result = await run(process.execPath, [pluginBin, "--version"]);
  expect(result.code).toBe(0);
  expect(result.stdout.toString()).toBe(`protoc-gen-ts v${pkg.version}\n`);
});
