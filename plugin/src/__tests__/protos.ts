// Test helpers: compile .proto sources with the real protoc into the CodeGeneratorRequest protoc
// would send, and run the plugin on it in-process.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { create, fromBinary, isFieldSet } from "@bufbuild/protobuf";
import {
  type CodeGeneratorRequest,
  CodeGeneratorRequestSchema,
  CodeGeneratorResponseSchema,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { protocGenTs } from "../plugin.js";

/** The repository root. */
export const repoRoot = join(__dirname, "..", "..", "..");

/** protoc from the system (3.21 in CI); tests never download one. */
export const protoc = process.env.PROTOC ?? "/usr/bin/protoc";

/**
 * The request protoc sends for `files` (path → source), generating every file unless `generate`
 * names some. Imports between the files work; `google/protobuf/*.proto` come with protoc.
 */
export function requestFor(
  files: Record<string, string>,
  parameter = "",
  generate: readonly string[] = Object.keys(files),
): CodeGeneratorRequest {
  const dir = mkdtempSync(join(tmpdir(), "tsgrpc-proto-"));
  try {
    for (const [name, source] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), source);
    }
    const out = join(dir, "descriptors.binpb");
    execFileSync(protoc, ["-I", dir, `--descriptor_set_out=${out}`, "--include_imports", "--include_source_info", ...generate], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(out));
    return create(CodeGeneratorRequestSchema, {
      fileToGenerate: [...generate],
      parameter,
      protoFile: set.file,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the plugin in-process; returns the generated files by name, or throws the response's error. */
export function generate(files: Record<string, string>, parameter = ""): Map<string, string> {
  const response = protocGenTs.run(requestFor(files, parameter));
  if (isFieldSet(response, CodeGeneratorResponseSchema.field.error)) {
    throw new Error(response.error);
  }
  return new Map(response.file.map((f) => [f.name, f.content]));
}

/** The content of one generated file; fails the test when it is missing. */
export function generatedFile(files: Map<string, string>, name: string): string {
  const content = files.get(name);
  if (content === undefined) {
    throw new Error(`${name} was not generated; got ${[...files.keys()].join(", ")}`);
  }
  return content;
}

/**
 * Asserts that `content` contains `lines` as consecutive whole lines, and shows the file when it
 * does not.
 */
export function expectLines(content: string, lines: readonly string[]): void {
  const all = content.split("\n");
  const found = all.some((_, start) => lines.every((line, i) => all[start + i] === line));
  if (!found) {
    throw new Error(`expected these lines:\n${lines.join("\n")}\n\nin:\n${content}`);
  }
}
