import { join } from "node:path";
import { installerIn, runInstaller as run } from "./node-install.js";

const installer = installerIn(join(__dirname, "../../.."));
const runInstaller = (args: string[]) => run(installer, args);

test("the bench takes its Node versions from the one installer: a major is the version CI pins, an exact version itself", () => {
  expect(runInstaller(["--pinned"]).split(" ")).toEqual(["22", "24"]);
  expect(runInstaller(["--resolve", "24"])).toMatch(/^24\.\d+\.\d+$/);
  expect(runInstaller(["--resolve", "24.11.1"])).toBe("24.11.1");
});

test("a major without a pinned version is an error naming the pinned ones", () => {
  expect(() => runInstaller(["--resolve", "19"])).toThrow(
    'node-install: no pinned Node version for "19" (pinned: 22, 24; or give an exact version)',
  );
});
