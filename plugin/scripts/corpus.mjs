#!/usr/bin/env node
// Generates the googleapis protos shipped by `google-proto-files` with the built plugin and
// type-checks the result strictly in one tsc program.
//
//   node plugin/scripts/corpus.mjs                      every google/** file with a service
//   node plugin/scripts/corpus.mjs google/pubsub …      the files with a service below these folders
//
// Inputs: the service files (google/protobuf/** excluded; editions files too, which protoc 3.21
// rejects), generated together with every file they import except the well-known types, which
// @bufbuild/protobuf/wkt provides. The output is type-checked in batches of about `BATCH_FILES`
// generated files (one tsc program for the whole of googleapis needs more than 4 GB); imports pull
// in what a batch needs. Prints one summary line; exits 1 on any error or diagnostic.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { create, fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import ts from "typescript";
import { protocGenTs } from "../dist/esm/index.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const corpusRoot = dirname(require.resolve("google-proto-files/package.json"));
const protoc = process.env.PROTOC ?? "/usr/bin/protoc";
const batchFiles = Number(process.env.BATCH_FILES ?? 1500);

function protoFiles(dir) {
  return readdirSync(join(corpusRoot, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".proto"))
    .map((e) => relative(corpusRoot, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

const dirs = process.argv.length > 2 ? process.argv.slice(2) : ["google"];
const inputs = dirs
  .flatMap(protoFiles)
  .filter((f) => !f.startsWith("google/protobuf/"))
  .filter((f) => {
    const source = readFileSync(join(corpusRoot, f), "utf8");
    return /^service\s/m.test(source) && !/^edition\s*=/m.test(source);
  });

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), "tsgrpc-corpus-"));
try {
  // protoc's own well-known types (-I /usr/include first): the package's may be newer editions files.
  const set = join(work, "set.binpb");
  execFileSync(
    protoc,
    ["-I", "/usr/include", "-I", corpusRoot, `--descriptor_set_out=${set}`, "--include_imports", "--include_source_info", ...inputs],
    { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 << 20 },
  );
  const protoFile = fromBinary(FileDescriptorSetSchema, readFileSync(set)).file;
  const fileToGenerate = protoFile.map((f) => f.name).filter((n) => !n.startsWith("google/protobuf/"));
  const generateStarted = performance.now();
  const response = protocGenTs.run(create(CodeGeneratorRequestSchema, { fileToGenerate, protoFile }));
  const generateMs = performance.now() - generateStarted;
  if (inputs.length > 100) {
    console.log(`  generated ${response.file.length} files from ${fileToGenerate.length} in ${Math.round(generateMs)} ms`);
  }
  if (response.error !== "") {
    throw new Error(`plugin: ${response.error}`);
  }
  const out = join(work, "out");
  const roots = [];
  for (const f of response.file) {
    const path = join(out, f.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    roots.push(path);
  }
  writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module", private: true }));
  symlinkSync(join(repoRoot, "node_modules"), join(work, "node_modules"), "dir");
  const options = {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts"],
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
  };
  // Batches of whole folders (google/cloud/aiplatform/…), in name order.
  const batches = [];
  for (const root of roots.sort()) {
    const folder = relative(out, root).split("/").slice(0, 3).join("/");
    const last = batches.at(-1);
    if (last !== undefined && (last.folder === folder || last.files.length < batchFiles)) {
      last.files.push(root);
      last.folder = folder;
    } else {
      batches.push({ folder, files: [root] });
    }
  }
  const diagnostics = [];
  for (const [i, batch] of batches.entries()) {
    diagnostics.push(...ts.getPreEmitDiagnostics(ts.createProgram(batch.files, options)));
    if (batches.length > 1) {
      // Progress for the whole corpus, which takes many minutes.
      const at = ((performance.now() - started) / 1000).toFixed(0);
      console.log(
        `  tsc ${i + 1}/${batches.length}: ${batch.files.length} files up to ${batch.folder}, ${diagnostics.length} diagnostics so far, ${at} s`,
      );
    }
  }
  const grpcFiles = response.file.filter((f) => f.name.endsWith("_grpc.ts")).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `corpus: ${inputs.length} service files, ${fileToGenerate.length} files generated into ${response.file.length} ` +
      `(${grpcFiles} _grpc.ts) in ${Math.round(generateMs)} ms; ${diagnostics.length} diagnostics ` +
      `(${batches.length} tsc programs); ${seconds} s in all`,
  );
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => out, getNewLine: () => "\n" };
    console.error(ts.formatDiagnostics(diagnostics.slice(0, 20), host));
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`corpus: ${error instanceof Error ? error.message.split("\n").slice(0, 5).join("\n") : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
