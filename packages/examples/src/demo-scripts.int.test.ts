import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

// The root's `npm run demo:web -- --once`, as docs/examples.md gives it: `--once` must reach the
// demo (not npm, which warned "Unknown cli config" and left the demo serving until killed), and
// the script builds only what the examples need. The build is turbo's cache after npm test's.

const root = join(__dirname, "..", "..", "..");

it("npm run demo:web -- --once from the repository root exits 0 after one fetch", async () => {
  const { stdout, stderr } = await promisify(execFile)("npm", ["run", "demo:web", "--", "--once"], {
    cwd: root,
    env: { ...process.env, PORT: "0", TURBO_TELEMETRY_DISABLED: "1", NO_UPDATE_NOTIFIER: "1" },
    timeout: 170_000,
  });
  expect(stderr).not.toMatch(/Unknown cli config/);
  expect(stdout).toMatch(/\[web\] GET \/users\/ → 200/);
  expect(stdout).not.toMatch(/@tsgrpc\/bench/);
}, 180_000);
