import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliError } from "./cli-error.js";
import { initFiles, initScripts } from "./init-files.js";

/** What `init` did, paths relative to the project directory. */
export interface InitReport {
  readonly written: readonly string[];
  readonly scripts: readonly string[];
}

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
  // The starter is an ES module (top-level await, import of the generated .js files).
  if (pkg.type !== undefined && pkg.type !== "module") conflicts.push(`package.json "type": "${pkg.type}" (the starter is an ES module)`);
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
  return { written: Object.keys(initFiles), scripts: Object.keys(initScripts) };
}

/** The report for humans, with the next steps. */
export function formatInit(report: InitReport): string {
  return [
    ...report.written.map((file) => `wrote ${file}`),
    `added npm scripts: ${report.scripts.join(", ")}`,
    "next: npm run generate && npm start   (a Greeter server and a client of it, in src/)",
  ].join("\n");
}
