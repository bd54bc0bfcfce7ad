import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assertRuntimeVersion, compatibilityLine, runtimeVersion } from "./version.js";

describe("runtime version", () => {
  it("matches package.json", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    expect(runtimeVersion).toBe(pkg.version);
  });

  it("uses semver's caret rule for the compatibility line", () => {
    expect(compatibilityLine("0.1.7")).toBe("0.1");
    expect(compatibilityLine("2.3.4")).toBe("2");
  });

  it("rejects code generated for another line, naming both versions", () => {
    expect(() => assertRuntimeVersion(compatibilityLine(runtimeVersion))).not.toThrow();
    expect(() => assertRuntimeVersion("9")).toThrow(`@tsgrpc/runtime ${runtimeVersion} cannot run code generated for @tsgrpc/runtime 9.x`);
  });
});
