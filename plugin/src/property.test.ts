import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { create, isFieldSet } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  CodeGeneratorResponseSchema,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import * as fc from "fast-check";
import * as ts from "typescript";
import { repoRoot, requestFor } from "./__tests__/protos.js";
import { pluginBin, run } from "./__tests__/tools.js";
import { compileProgram, strictOptions } from "./__tests__/typescript.js";
import { protocGenTs } from "./plugin.js";
import { handleRequest } from "./run-node.js";

// Property-based tests: random valid service descriptors always give code that compiles (all cases
// in one tsc program), and random bytes never make the plugin hang or print a stack trace.

/**
 * Names that trip generators: JavaScript globals and keywords, our members, parameters, exports.
 * (Not `arguments`, `eval` or `undefined`: protoc-gen-es (2.13 and 2.17) exports a descriptor or type under that name,
 * which strict mode rejects in its own `_pb.ts`.)
 */
const awkwardNames = [
  "then",
  "constructor",
  "call",
  "future",
  "withCall",
  "toString",
  "__proto__",
  "valueOf",
  "hasOwnProperty",
  "Object",
  "Promise",
  "Server",
  "Channel",
  "ServicerContext",
  "StatusCode",
  "MethodDefinition",
  "MaybePromise",
  "context",
  "servicer",
  "server",
  "channel",
  "request",
  "response",
  "bytes",
  "methods",
  "Partial",
  "AsyncIterable",
  "Array",
  "Map",
  "Error",
  "Symbol",
  "default",
  "delete",
  "class",
  "import",
  "NaN",
  "globalThis",
  "esMethod",
  "assertRuntimeVersion",
  "servicerMethodHandlers",
];
const identifier = fc.oneof(fc.constantFrom(...awkwardNames), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,7}$/));
const packageName = fc.oneof(fc.constant(""), fc.stringMatching(/^[a-z][a-z0-9]{0,5}(\.[a-z][a-z0-9]{0,5}){0,2}$/));
const wellKnown: readonly [string, ...string[]] = [
  ".google.protobuf.Empty",
  ".google.protobuf.Timestamp",
  ".google.protobuf.Any",
  ".google.protobuf.StringValue",
];

interface FileSpec {
  readonly pkg: string;
  readonly messages: readonly string[];
  readonly nested: boolean;
  readonly services: readonly {
    readonly name: string;
    readonly methods: readonly { name: string; kind: number; input: number; output: number }[];
  }[];
}

/** Names unique case-insensitively (method_names=camel must not merge two). */
function distinct(names: readonly string[], taken: Set<string> = new Set()): string[] {
  const out: string[] = [];
  for (const name of names) {
    const key = name.toLowerCase();
    if (!taken.has(key)) {
      taken.add(key);
      out.push(name);
    }
  }
  return out;
}

const method = fc.record({ name: identifier, kind: fc.nat(3), input: fc.nat(50), output: fc.nat(50) });
const fileSpec: fc.Arbitrary<FileSpec> = fc
  .record({
    pkg: packageName,
    messages: fc.array(identifier, { minLength: 1, maxLength: 4 }),
    nested: fc.boolean(),
    services: fc.array(fc.record({ name: identifier, methods: fc.array(method, { maxLength: 5 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
  })
  .map(({ pkg, messages, nested, services }) => {
    const taken = new Set<string>();
    const messageNames = distinct(messages, taken);
    // A service named like a message is invalid; the fallback keeps one service per file.
    const serviceNames = distinct([...services.map((s) => s.name), "Fallback$"], taken)
      .filter((name, _i, all) => name !== "Fallback$" || all.length === 1)
      .map((name) => (name === "Fallback$" ? "FallbackService" : name));
    return {
      pkg,
      messages: messageNames,
      nested,
      services: serviceNames.map((name, i) => {
        const methods = services[i]?.methods ?? [];
        const methodNames = distinct(methods.map((m) => m.name));
        return { name, methods: methodNames.map((n, j) => ({ ...(methods[j] ?? { kind: 0, input: 0, output: 0 }), name: n })) };
      }),
    };
  });

/** A FileDescriptorProto for a spec: messages (one nested), services whose types are local, nested or well-known. */
function descriptor(spec: FileSpec, index: number): FileDescriptorProto {
  const prefix = spec.pkg === "" ? "." : `.${spec.pkg}.`;
  const types = [...spec.messages.map((m) => `${prefix}${m}`), ...wellKnown];
  if (spec.nested) {
    types.push(`${prefix}${spec.messages[0]}.Inner`);
  }
  return create(FileDescriptorProtoSchema, {
    name: `case${index}/random.proto`,
    package: spec.pkg,
    syntax: "proto3",
    dependency: [
      "google/protobuf/empty.proto",
      "google/protobuf/timestamp.proto",
      "google/protobuf/any.proto",
      "google/protobuf/wrappers.proto",
    ],
    messageType: spec.messages.map((name, i) => ({
      name,
      field: [{ name: "text", number: 1, type: 9, label: 1, jsonName: "text" }],
      nestedType: spec.nested && i === 0 ? [{ name: "Inner" }] : [],
    })),
    service: spec.services.map((s) => ({
      name: s.name,
      method: s.methods.map((m) => ({
        name: m.name,
        inputType: types[m.input % types.length] ?? wellKnown[0],
        outputType: types[m.output % types.length] ?? wellKnown[0],
        clientStreaming: (m.kind & 1) === 1,
        serverStreaming: (m.kind & 2) === 2,
      })),
    })),
  });
}

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "tsgrpc-property-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module", private: true }));
  symlinkSync(join(repoRoot, "node_modules"), join(project, "node_modules"), "dir");
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

test("random valid service descriptors give code that compiles strictly", () => {
  // The well-known types' descriptors, as protoc sends them.
  const wkt = requestFor({
    "w.proto": `syntax = "proto3"; import "google/protobuf/empty.proto"; import "google/protobuf/timestamp.proto"; import "google/protobuf/any.proto"; import "google/protobuf/wrappers.proto";`,
  }).protoFile.filter((f) => f.name.startsWith("google/"));
  const roots: string[] = [];
  let index = 0;
  fc.assert(
    fc.property(fileSpec, fc.constantFrom("", "method_names=camel"), (spec, parameter) => {
      const file = descriptor(spec, index);
      const response = protocGenTs.run(
        create(CodeGeneratorRequestSchema, { fileToGenerate: [file.name], parameter, protoFile: [...wkt, file] }),
      );
      if (isFieldSet(response, CodeGeneratorResponseSchema.field.error)) {
        throw new Error(`${response.error}\n${JSON.stringify(spec)}`);
      }
      for (const f of response.file) {
        const path = join(project, f.name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.content);
        roots.push(path);
      }
      index++;
    }),
    { numRuns: 40, seed: Number(process.env.FC_SEED ?? 20251122) },
  );
  expect(roots.filter((r) => r.endsWith("_grpc.ts")).length).toBe(40);
  const diagnostics = compileProgram(project, roots, {
    ...strictOptions,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
  });
  expect(diagnostics).toBe("");
}, 120_000);

test("random bytes: the plugin answers or fails in one line, never with a stack trace", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
      const outcome = handleRequest(protocGenTs, bytes);
      if (outcome.stderr !== undefined) {
        expect(outcome.stderr).not.toContain("\n");
        expect(outcome.stderr).not.toMatch(/\bat .+:\d+:\d+/);
      }
    }),
    { numRuns: 2000 },
  );
});

test("random bytes through the bin: exits promptly, stderr at most one line", async () => {
  const samples = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 4096 }), { numRuns: 4, seed: 7 });
  for (const bytes of samples) {
    const result = await run(process.execPath, [pluginBin], bytes);
    expect(result.code === 0 || result.code === 1).toBe(true);
    expect(result.stderr.split("\n").filter((l) => l !== "").length).toBeLessThanOrEqual(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }
}, 60_000);
