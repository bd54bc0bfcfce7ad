import { join } from "node:path";
import { repoRoot } from "./__tests__/protos.js";
import { requireFreshBuild, run } from "./__tests__/tools.js";

// Real-world input: googleapis services from `google-proto-files` generate and type-check strictly.
// The test takes a large subset; `npm run corpus -w @tsgrpc/protoc-gen-ts` runs every service file.
test("googleapis pubsub, storage, spanner, firestore, logging, iam, longrunning generate and type-check", async () => {
  requireFreshBuild();
  const script = join(repoRoot, "plugin", "scripts", "corpus.mjs");
  const dirs = [
    "google/pubsub",
    "google/storage",
    "google/spanner",
    "google/firestore",
    "google/logging",
    "google/iam",
    "google/longrunning",
  ];
  const result = await run(process.execPath, [script, ...dirs], undefined, repoRoot, 100_000);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const summary = /^corpus: (\d+) service files, (\d+) files generated into \d+ \((\d+) _grpc\.ts\).*; 0 diagnostics /.exec(
    result.stdout.toString(),
  );
  expect(summary).not.toBeNull();
  expect(Number(summary?.[1])).toBeGreaterThanOrEqual(20);
  expect(Number(summary?.[3])).toBeGreaterThanOrEqual(20);
}, 120_000);
