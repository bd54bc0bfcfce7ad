// Test helpers: compile generated code with the TypeScript compiler API, in one program per
// consumer project (one program is much faster than one per file on a 2-core machine).
import * as ts from "typescript";

/** The strictest settings users are likely to have; tests add module and resolution options. */
export const strictOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts"],
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noPropertyAccessFromIndexSignature: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
};

/**
 * Type-checks `roots` (and emits JavaScript beside them unless `noEmit`); resolves to the formatted
 * diagnostics, "" when there are none.
 */
export function compileProgram(projectDir: string, roots: readonly string[], options: ts.CompilerOptions): string {
  const program = ts.createProgram(roots, options);
  const emitted = options.noEmit === true ? [] : program.emit().diagnostics;
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted];
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => projectDir,
    getNewLine: () => "\n",
  });
}
