// The public API as the build presents it (values of every entry point as ESM and as CommonJS,
// and type names) is what runtime/public-api.txt says: a change to it is deliberate and shows in
// review. After a deliberate one: `node scripts/public-api.mjs --write`.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const runtimeDir = join(__dirname, "..");

test("the build exports exactly what public-api.txt lists", () => {
  const built = execFileSync(process.execPath, [join(runtimeDir, "..", "scripts", "public-api.mjs"), runtimeDir], { encoding: "utf8" });
  expect(built).toBe(readFileSync(join(runtimeDir, "public-api.txt"), "utf8"));
});

test("ESM and CommonJS export the same values", () => {
  const listing = readFileSync(join(runtimeDir, "public-api.txt"), "utf8");
  const values = (build: string) => [...listing.matchAll(new RegExp(`values \\(${build}\\): (.*)`, "g"))].map((m) => m[1]);
  expect(values("CJS")).toEqual(values("ESM"));
  expect(values("ESM")).toHaveLength(3);
});
