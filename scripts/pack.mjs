// `npm run pack`: the three published packages as npm would ship them, in packed/ — the way to
// install tsgrpc before it is on a registry (docs/getting-started.md). Each package builds itself
// when packed (its `prepack`), so this works from a fresh clone; and each tarball is checked to
// hold every file its package.json points at (main, types, exports, bin), so a tarball holding
// little more than package.json (an unbuilt pack) fails here instead of in a user's project.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "packed");
const packages = ["runtime", "plugin", "packages/cli"];

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
let failed = false;
for (const dir of packages) {
  const [info] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
      cwd: join(root, dir),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  const files = new Set(info.files.map((file) => file.path));
  const missing = promisedFiles(JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"))).filter((file) => !files.has(file));
  if (missing.length > 0) {
    failed = true;
    console.error(`pack: ${info.filename} lacks ${missing.join(", ")}`);
  } else {
    console.log(`packed/${info.filename}  ${info.files.length} files, ${(info.size / 1000).toFixed(1)} kB`);
  }
}
if (failed) process.exit(1);

/** Every file a package.json points at: main, module, types, bin, exports (all conditions), typesVersions. */
function promisedFiles(pkg) {
  const paths = [pkg.main, pkg.module, pkg.types, ...Object.values(pkg.bin ?? {})];
  const walk = (value) => {
    if (typeof value === "string") paths.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.typesVersions);
  return [...new Set(paths.filter((p) => typeof p === "string" && !p.includes("*")).map((p) => p.replace(/^\.\//, "")))];
}
