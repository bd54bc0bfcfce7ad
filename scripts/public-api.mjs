// Lists the public API of @tsgrpc/runtime as its build presents it: for each entry point of
// package.json's "exports", the names it exports as values when imported as ESM and when required
// as CommonJS, and the names it exports as types (from its .d.ts). runtime/public-api.txt holds the
// list, and a test compares the build with it, so that no change to the public API goes unnoticed.
//
//   node scripts/public-api.mjs [runtimeDir]            print the list (default: ./runtime)
//   node scripts/public-api.mjs --write [runtimeDir]    write it to <runtimeDir>/public-api.txt
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

const args = process.argv.slice(2);
const write = args.includes("--write");
const runtimeDir = resolve(args.find((a) => !a.startsWith("--")) ?? "runtime");

const manifest = JSON.parse(readFileSync(join(runtimeDir, "package.json"), "utf8"));
const require = createRequire(join(runtimeDir, "package.json"));

const sections = [];
for (const [subpath, targets] of Object.entries(manifest.exports)) {
  const esmFile = join(runtimeDir, targets.import);
  const cjsFile = join(runtimeDir, targets.require);
  const esm = Object.keys(await import(pathToFileURL(esmFile).href));
  const cjs = Object.keys(require(cjsFile)).filter((name) => name !== "__esModule");
  const types = typeNames(esmFile.replace(/\.js$/, ".d.ts"));
  sections.push(
    [
      `${manifest.name}${subpath.slice(1)}`,
      `  values (ESM): ${esm.sort().join(", ")}`,
      `  values (CJS): ${cjs.sort().join(", ")}`,
      `  types: ${types.join(", ")}`,
    ].join("\n"),
  );
}
const listing = `${sections.join("\n\n")}\n`;
if (write) writeFileSync(join(runtimeDir, "public-api.txt"), listing);
else process.stdout.write(listing);

/** The exported names of a declaration file that denote a type (interfaces, aliases, classes, enums). */
function typeNames(declarationFile) {
  const program = ts.createProgram([declarationFile], { noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(declarationFile);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${declarationFile}: not a module`);
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Type) !== 0;
    })
    .map((symbol) => symbol.name)
    .sort();
}
