// Builds the package in the current directory twice, as ESM (dist/esm) and as CommonJS (dist/cjs),
// from the same sources: the layout protobuf-es and connect-es publish, so both `import` and
// `require` consumers get real modules with types.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
rmSync("dist", { recursive: true, force: true });
for (const project of ["tsconfig.build.json", "tsconfig.cjs.json"]) {
  execFileSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
}
mkdirSync("dist/cjs", { recursive: true });
writeFileSync("dist/cjs/package.json", '{\n  "type": "commonjs"\n}\n');
