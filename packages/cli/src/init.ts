import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliError } from "./cli-error.js";
import { initFiles, initScripts } from "./init-files.js";

/** What `init` did, paths relative to the project directory. */
export interface InitReport {
  readonly written: readonly string[];
  readonly scripts: readonly string[];
  /** What else it changed, in a sentence each. */
  readonly notes: readonly string[];
}

/** The fields `npm init -y` writes (npm 11), and its placeholder test script. */
const npmInitFields = new Set(["name", "version", "description", "main", "scripts", "keywords", "author", "license", "type"]);
const npmInitTestScript = 'echo "Error: no test specified" && exit 1';

/** Source files a `"type"` change would load differently: JavaScript and TypeScript outside node_modules. */
const sourceFile = /\.(c|m)?(j|t)sx?$/;

/**
 * Sets a project up for tsgrpc: a `buf.yaml`, a `buf.gen.yaml` wired to the tsgrpc plugin, an
 * example `.proto`, a `tsconfig.json`, a server and a client that run (`npm start`), npm scripts,
 * and `"type": "module"`. Refuses (naming every conflict, writing nothing) to replace
 * an existing file or a different script of the same name, unless `force`.
 */
export function init(options: { cwd: string; force?: boolean }): InitReport {
  const { cwd, force = false } = options;
  const packagePath = join(cwd, "package.json");
  const pkg: { type?: string; scripts?: Record<string, string> } = existsSync(packagePath)
    ? JSON.parse(readFileSync(packagePath, "utf8"))
    : { name: basename(cwd), version: "0.1.0", private: true };
  const scripts = { ...pkg.scripts };

  const conflicts = Object.keys(initFiles).filter((file) => existsSync(join(cwd, file)));
  const notes: string[] = [];
  // The starter is an ES module (top-level await, import of the generated .js files). A package
  // that holds only what `npm init -y` wrote ("type": "commonjs" since npm 11) becomes one; a
  // package with code keeps its type unless --force, since its .js files would load differently.
  if (pkg.type !== undefined && pkg.type !== "module") {
    const code = sourceFiles(cwd);
    if (code.length === 0 && onlyNpmInit(pkg)) {
      notes.push(`package.json "type" was "${pkg.type}", as npm init writes it; the starter is an ES module, so it is now "module"`);
    } else {
      conflicts.push(
        `package.json "type": "${pkg.type}" (the starter is an ES module; ${code.length > 0 ? `${code.slice(0, 3).join(", ")}${code.length > 3 ? ", …" : ""} would then load as ES modules: rename CommonJS files to .cjs first` : "other fields than npm init writes are set: check that nothing relies on CommonJS"})`,
      );
    }
  }
  for (const [name, command] of Object.entries(initScripts)) {
    const existing = scripts[name];
    if (existing !== undefined && existing !== command) conflicts.push(`package.json script "${name}"`);
  }
  if (conflicts.length > 0 && !force) {
    throw new CliError(`would overwrite ${conflicts.join(", ")}; pass --force to replace them`);
  }

  for (const [file, text] of Object.entries(initFiles)) {
    mkdirSync(dirname(join(cwd, file)), { recursive: true });
    writeFileSync(join(cwd, file), text);
  }
  Object.assign(scripts, initScripts);
  writeFileSync(packagePath, `${JSON.stringify({ ...pkg, type: "module", scripts }, null, 2)}\n`);
  return { written: Object.keys(initFiles), scripts: Object.keys(initScripts), notes };
}

/** Whether `pkg` holds nothing but what `npm init -y` writes. */
function onlyNpmInit(pkg: { scripts?: Record<string, string> }): boolean {
  if (!Object.keys(pkg).every((key) => npmInitFields.has(key))) return false;
  const scripts = Object.entries(pkg.scripts ?? {});
  return scripts.every(([name, command]) => name === "test" && command === npmInitTestScript);
}

/** The JavaScript and TypeScript files of the project (its top directory and src/), relative paths. */
function sourceFiles(cwd: string): string[] {
  const found: string[] = [];
  for (const dir of [".", "src"]) {
    if (!existsSync(join(cwd, dir))) continue;
    for (const entry of readdirSync(join(cwd, dir), { withFileTypes: true })) {
      if (entry.isFile() && sourceFile.test(entry.name)) found.push(dir === "." ? entry.name : `${dir}/${entry.name}`);
    }
  }
  return found;
}

/** The report for humans, with the next steps. */
export function formatInit(report: InitReport): string {
  return [
    ...report.written.map((file) => `wrote ${file}`),
    `added npm scripts: ${report.scripts.join(", ")}`,
    ...report.notes,
    "next: npm run generate && npm start   (a Greeter server and a client of it, in src/)",
  ].join("\n");
}
