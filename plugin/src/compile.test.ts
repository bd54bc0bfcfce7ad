import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { repoRoot } from "./__tests__/protos.js";
import { listFiles, run } from "./__tests__/tools.js";
import { compileProgram, strictOptions } from "./__tests__/typescript.js";

// The golden files of every variant compile under the strictest settings users are likely to have,
// in consumer projects of their own whose node_modules are the repository's (the runtime as built
// by `npm run build`): one ES module project (module nodenext), one CommonJS project, one bundler
// project for extensionless imports. The consumers in plugin/typecheck also make real calls
// through the generated code, so the emitted JavaScript is run, not only type-checked.
const golden = join(repoRoot, "fixtures", "golden");
const typecheck = join(repoRoot, "plugin", "typecheck");

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "tsgrpc-compile-"));
  cpSync(golden, join(project, "golden"), { recursive: true });
  // Variants written with messages=none import the message files of a protoc-gen-es run.
  for (const variant of ["keep-empty-files", "plugin-version"]) {
    for (const f of listFiles(join(golden, "default")).filter((f) => f.endsWith("_pb.ts"))) {
      cpSync(join(golden, "default", f), join(project, "golden", variant, f));
    }
  }
  cpSync(typecheck, project, { recursive: true });
  cpSync(join(golden, "commonjs"), join(project, "cjs", "golden"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module", private: true }));
  symlinkSync(join(repoRoot, "node_modules"), join(project, "node_modules"), "dir");
});
afterAll(() => {
  // TSGRPC_KEEP_PROJECT=1 keeps the consumer projects for a look after a failure.
  if (process.env.TSGRPC_KEEP_PROJECT === undefined) {
    rmSync(project, { recursive: true, force: true });
  } else {
    console.log(`consumer projects kept in ${project}`);
  }
});

/** The TypeScript inputs (`.ts`, `.d.ts`) of some golden variants in the project. */
function goldenInputs(dir: string, variants: readonly string[]): string[] {
  return variants.flatMap((v) =>
    listFiles(join(project, dir, v))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(project, dir, v, f)),
  );
}

const esmVariants = ["default", "camel", "ts-proto", "js-dts", "import-extension-ts", "keep-empty-files", "plugin-version"];

test("every variant is compiled by one of the consumer projects", () => {
  const variants = listFiles(golden).map((f) => f.split("/")[0]);
  expect([...new Set(variants)].sort()).toEqual([...esmVariants, "commonjs", "import-extension-none"].sort());
});

test("ES module consumer: every ESM variant compiles strictly, and its calls go through", async () => {
  const roots = [...goldenInputs("golden", esmVariants), join(project, "esm-consumer.ts"), join(project, "echo-round-trip.ts")];
  expect(roots.filter((f) => f.endsWith("_grpc.ts")).length).toBeGreaterThanOrEqual(40);
  expect(
    compileProgram(project, roots, {
      ...strictOptions,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true,
      rewriteRelativeImportExtensions: true,
    }),
  ).toBe("");
  const result = await run(process.execPath, [join(project, "esm-consumer.js")], undefined, project);
  expect(result.stderr).toBe("");
  expect(result.stdout.toString()).toBe("esm consumer: 4 variants answered\n");
}, 120_000);

test("CommonJS consumer: js_import_style=legacy_commonjs declarations compile, and its calls go through", async () => {
  const cjs = join(project, "cjs");
  const roots = [...goldenInputs("cjs", ["golden"]), join(cjs, "cjs-consumer.ts"), join(project, "echo-round-trip.ts")];
  expect(roots.filter((f) => f.endsWith("_grpc.d.ts")).length).toBeGreaterThanOrEqual(8);
  expect(
    compileProgram(cjs, roots, {
      ...strictOptions,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      // The generated declarations are checked themselves, not only through their use.
      skipLibCheck: false,
    }),
  ).toBe("");
  const result = await run(process.execPath, [join(cjs, "cjs-consumer.js")], undefined, cjs);
  expect(result.stderr).toBe("");
  expect(result.stdout.toString()).toBe("cjs consumer: legacy_commonjs answered\n");
}, 120_000);

test("bundler consumer: import_extension=none compiles with moduleResolution bundler", () => {
  const roots = goldenInputs("golden", ["import-extension-none"]);
  expect(
    compileProgram(project, roots, {
      ...strictOptions,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      noEmit: true,
    }),
  ).toBe("");
}, 60_000);

test("generated service code has no `any`", () => {
  const offenders: string[] = [];
  for (const f of listFiles(golden).filter((f) => /_grpc\.(ts|d\.ts|js)$/.test(f))) {
    const code = stripComments(ts.sys.readFile(join(golden, f)) ?? "");
    if (/\bany\b/.test(code)) {
      offenders.push(f);
    }
  }
  expect(offenders).toEqual([]);
});

/** The code of a file without its comments and string literals. */
function stripComments(source: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  const parts: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind !== ts.SyntaxKind.StringLiteral) {
      parts.push(scanner.getTokenText());
    }
  }
  return parts.join(" ");
}
