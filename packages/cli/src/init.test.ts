import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliError } from "./cli-error.js";
import { formatInit, init } from "./init.js";
import { initFiles, initScripts } from "./init-files.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tsgrpc-init-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pkg = () =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; type?: string; scripts?: Record<string, string> };

test("writes the configs, an example proto and npm scripts, keeping existing scripts", () => {
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", scripts: { lint: "biome lint" } }));
  const report = init({ cwd: dir });
  for (const file of Object.keys(initFiles)) expect(existsSync(join(dir, file))).toBe(true);
  expect(readFileSync(join(dir, "buf.gen.yaml"), "utf8")).toContain("local: protoc-gen-tsgrpc");
  expect(pkg()).toEqual({ name: "app", type: "module", scripts: { lint: "biome lint", ...initScripts } });
  expect(formatInit(report)).toContain("next: npm run generate && npm start");
});

test("creates package.json when there is none: an ES module package", () => {
  init({ cwd: dir });
  expect(pkg().scripts).toEqual(initScripts);
  expect(pkg().type).toBe("module");
});

/** What npm 11's `npm init -y` writes. */
const npmInitPackage = {
  name: "hello",
  version: "1.0.0",
  description: "",
  main: "index.js",
  scripts: { test: 'echo "Error: no test specified" && exit 1' },
  keywords: [],
  author: "",
  license: "ISC",
  type: "commonjs",
};

test("turns a package fresh from npm init -y (CommonJS, no code yet) into an ES module, saying so", () => {
  writeFileSync(join(dir, "package.json"), JSON.stringify(npmInitPackage));
  const report = init({ cwd: dir });
  expect(pkg().type).toBe("module");
  expect(formatInit(report)).toContain(
    'package.json "type" was "commonjs", as npm init writes it; the starter is an ES module, so it is now "module"',
  );
});

test("refuses a CommonJS package with code (the starter is an ES module), saying what to do, unless --force", () => {
  writeFileSync(join(dir, "package.json"), JSON.stringify(npmInitPackage));
  writeFileSync(join(dir, "index.js"), "module.exports = 1;\n");
  expect(() => init({ cwd: dir })).toThrow(
    'would overwrite package.json "type": "commonjs" (the starter is an ES module; index.js would then load as ES modules: rename CommonJS files to .cjs first); pass --force to replace them',
  );
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", type: "commonjs", dependencies: { left: "1.0.0" } }));
  rmSync(join(dir, "index.js"));
  expect(() => init({ cwd: dir })).toThrow(
    /other fields than npm init writes are set: check that nothing relies on CommonJS\); pass --force/,
  );
  init({ cwd: dir, force: true });
  expect(pkg().type).toBe("module");
});

test("refuses to overwrite, naming every conflict and writing nothing", () => {
  writeFileSync(join(dir, "buf.yaml"), "mine\n");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ scripts: { generate: "make gen" } }));
  let error: unknown = null;
  try {
    init({ cwd: dir });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).message).toBe('would overwrite buf.yaml, package.json script "generate"; pass --force to replace them');
  expect((error as CliError).exitCode).toBe(2);
  expect(readFileSync(join(dir, "buf.yaml"), "utf8")).toBe("mine\n");
  expect(existsSync(join(dir, "buf.gen.yaml"))).toBe(false);
});

test("--force replaces them", () => {
  writeFileSync(join(dir, "buf.yaml"), "mine\n");
  init({ cwd: dir, force: true });
  expect(readFileSync(join(dir, "buf.yaml"), "utf8")).toBe(initFiles["buf.yaml"]);
});
