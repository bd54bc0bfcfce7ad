// What `import "@tsgrpc/runtime"` loads, measured on the build (dist/esm and dist/cjs) in a fresh
// process: no worker threads and no piscina until an application asks for them (createWorkerPool's
// first run, a server's stall monitor), since every user pays for what the root import loads.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const dist = join(__dirname, "..", "dist");

interface Loaded {
  /** Node's built-in modules loaded so far (`worker_threads`, `http2`, …). */
  builtins: string[];
  /** The files in require.cache (CommonJS only). */
  files: string[];
}

/** Runs `script` in a fresh node; it calls `report()` to print what has been loaded by then. */
function run(script: string, type: "module" | "commonjs"): Loaded {
  if (!existsSync(join(dist, "cjs", "index.js")) || !existsSync(join(dist, "esm", "index.js"))) {
    throw new Error("runtime/dist is missing: run `npm run build -w @tsgrpc/runtime` first");
  }
  const report = `const report = () => console.log(JSON.stringify({
    builtins: process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)),
    files: typeof require === "function" ? Object.keys(require.cache) : [],
  }));`;
  const output = execFileSync(process.execPath, [`--input-type=${type}`, "-e", `${report}\n${script}`], { encoding: "utf8" });
  return JSON.parse(output) as Loaded;
}

const inPackage = (name: string) => (file: string) => file.includes(join("node_modules", name, ""));

test("the ESM root import loads no worker_threads", () => {
  const { builtins } = run(`await import(${JSON.stringify(join(dist, "esm", "index.js"))}); report();`, "module");
  expect(builtins).toContain("http2");
  expect(builtins).not.toContain("worker_threads");
});

test("the CommonJS root import loads no worker_threads and no piscina", () => {
  const { builtins, files } = run(`require(${JSON.stringify(join(dist, "cjs", "index.js"))}); report();`, "commonjs");
  expect(builtins).not.toContain("worker_threads");
  expect(files.some(inPackage("@grpc/grpc-js"))).toBe(true);
  expect(files.filter(inPackage("piscina"))).toEqual([]);
});

test("createWorkerPool loads piscina on its first run, not before", () => {
  const runtime = JSON.stringify(join(dist, "cjs", "index.js"));
  const worker = JSON.stringify(join(__dirname, "diagnostics", "testdata", "pool-worker.mjs"));
  const before = run(`const pool = require(${runtime}).createWorkerPool({ filename: ${worker} }); report();`, "commonjs");
  expect(before.files.filter(inPackage("piscina"))).toEqual([]);
  const after = run(
    `const pool = require(${runtime}).createWorkerPool({ filename: ${worker} });
     pool.run(1).then(async (doubled) => { if (doubled !== 2) throw new Error(String(doubled)); await pool.close(); report(); });`,
    "commonjs",
  );
  expect(after.files.filter(inPackage("piscina")).length).toBeGreaterThan(0);
  expect(after.builtins).toContain("worker_threads");
});
