import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { repoRoot } from "./__tests__/protos.js";
import { listFiles } from "./__tests__/tools.js";

// The golden files compile under the strictest settings users are likely to have, in a project of
// their own whose node_modules are the repository's (the runtime as built by `npm run build`).
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts"],
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
};

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "tsgrpc-compile-"));
  cpSync(join(repoRoot, "fixtures", "golden"), join(project, "src"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module", private: true }));
  symlinkSync(join(repoRoot, "node_modules"), join(project, "node_modules"), "dir");
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

test("the golden files compile with tsc --strict and friends", () => {
  const files = listFiles(join(project, "src")).map((f) => join(project, "src", f));
  expect(files.filter((f) => f.endsWith("_grpc.ts")).length).toBeGreaterThanOrEqual(6);
  const program = ts.createProgram(files, options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const report = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => project,
    getNewLine: () => "\n",
  });
  expect(report).toBe("");
}, 60_000);
