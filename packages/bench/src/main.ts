/**
 * `npm run bench [-- --quick]` at the root: tsgrpc vs the floor (raw grpc-js + ts-proto), floor-es
 * (raw grpc-js + protobuf-es) and the anchors, same run, interleaved rounds; writes
 * docs/benchmarks.md and results/latest.json.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareAnchors, systemProtoc } from "./anchors.js";
import { runCodegen } from "./codegen.js";
import { fullConfig, quickConfig } from "./config.js";
import { clockTicksPerSecond } from "./cpu.js";
import { type Results, renderMarkdown } from "./document.js";
import { evaluateTargets } from "./evaluate.js";
import { type ImplRow, renderVerdicts, type Section } from "./report.js";
import {
  type RunContext,
  type RunnableImpl,
  runScaleOut,
  runSlowConsumer,
  runStreamingWorkloads,
  runUnaryWorkloads,
  scaleOutRows,
  unarySectionIds,
} from "./runner.js";
import { median } from "./stats.js";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const repoDir = join(benchDir, "../..");
const log = (line: string) => console.log(`bench: ${line}`);
const started = Date.now();
const ours = (file: string) => join(benchDir, "dist/impls", file);

const quick = process.argv.includes("--quick");
const config = quick ? quickConfig : fullConfig;
const ctx: RunContext = { config, log, worker: {}, ticksPerSecond: clockTicksPerSecond(), nodes: new Set() };

const ownImpls: RunnableImpl[] = [
  { id: "floor", label: "floor: grpc-js + ts-proto (respects 'drain')", modulePath: ours("floor.js"), exportName: "impl" },
  { id: "floor-es", label: "floor-es: grpc-js + protobuf-es", modulePath: ours("floor-es.js"), exportName: "impl" },
  { id: "tsgrpc", label: "**tsgrpc** (default messages)", modulePath: ours("tsgrpc.js"), exportName: "impl" },
  { id: "tsgrpc-async", label: "tsgrpc, `async` Unary handler", modulePath: ours("tsgrpc.js"), exportName: "asyncUnaryImpl", unaryOnly: true },
  { id: "tsgrpc-stall", label: "tsgrpc + stall monitor (200 ms)", modulePath: ours("tsgrpc.js"), exportName: "stallImpl" },
  { id: "tsgrpc-ts-proto", label: "tsgrpc messages=ts-proto", modulePath: ours("tsgrpc-ts-proto.js"), exportName: "impl" },
  { id: "proto-loader", label: "grpc-js + @grpc/proto-loader", modulePath: ours("proto-loader.js"), exportName: "impl" },
];
const naive: RunnableImpl = {
  id: "naive",
  label: "naive grpc-js (ignores 'drain')",
  modulePath: ours("floor.js"),
  exportName: "naiveImpl",
  slowConsumerOnly: true,
};
const impls = [...ownImpls, ...(await prepareAnchors(benchDir, log)), naive];

const sections: Section[] = [];
sections.push(...(await runUnaryWorkloads(impls, ctx)));
sections.push(...(await runStreamingWorkloads(impls, ctx, true, true)));
sections.push(await runSlowConsumer(impls, ctx));
sections.push(await runScaleOut(ours("tsgrpc.js"), ctx));
const codegen = await runCodegen(benchDir, config, log);
sections.push(...codegen.sections);
const codegenRows: ImplRow[] = codegen.rows;
sections.push(stallOverhead(sections));

const workerNodes = [...ctx.nodes].filter(Boolean);
const results: Results = {
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: workerNodes.length ? workerNodes.join(", ") : process.version,
    orchestratorNode: process.version,
    date: new Date().toISOString(),
    command: quick ? "npm run bench -- --quick" : "npm run bench",
    durationS: Math.round((Date.now() - started) / 1000),
  },
  config,
  versions: packageVersions(),
  impls: impls.map(({ id, label, unavailable }) => ({ id, label, ...(unavailable ? { unavailable } : {}) })),
  codegenRows: codegenRows.map(({ id, label, unavailable }) => ({ id, label, ...(unavailable ? { unavailable } : {}) })),
  scaleOutRows,
  sections,
  verdicts: evaluateTargets(sections, impls.map((impl) => impl.id)),
  failures: impls.flatMap((impl) => impl.failures ?? []),
};

writeFileSync(join(repoDir, "docs/benchmarks.md"), renderMarkdown(results));
mkdirSync(join(benchDir, "results"), { recursive: true });
const jsonPath = join(benchDir, "results/latest.json");
writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote docs/benchmarks.md and ${jsonPath} in ${results.machine.durationS} s`);
console.log(renderVerdicts(results.verdicts));

function packageVersions(): Record<string, string> {
  // The installed package.json nearest to `dir` (workspaces hoist to the root's node_modules).
  const read = (dir: string, name: string): string | undefined => {
    for (const base of [dir, repoDir]) {
      const path = join(base, "node_modules", name, "package.json");
      if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")).version;
    }
    return undefined;
  };
  const versions: Record<string, string> = {};
  const anchorsDir = join(benchDir, "anchors");
  for (const name of ["@grpc/grpc-js", "@bufbuild/protobuf", "ts-proto", "@grpc/proto-loader", "@tsgrpc/runtime"]) versions[name] = read(benchDir, name) ?? "?";
  for (const name of ["nice-grpc", "ts-proto", "@connectrpc/connect-node", "@bufbuild/protobuf", "@bufbuild/protoc-gen-es", "@protobuf-ts/grpc-backend", "@protobuf-ts/grpc-transport", "@protobuf-ts/plugin", "google-proto-files"]) {
    versions[`${name} (anchors)`] = read(anchorsDir, name) ?? "not installed";
  }
  versions.protoc = execFileSync(systemProtoc(), ["--version"], { encoding: "utf8" }).trim();
  return versions;
}

/** The stall monitor's cost on unary calls: tsgrpc with it on, as a ratio to tsgrpc without. */
function stallOverhead(measured: readonly Section[]): Section {
  const ratios = ([1, 64] as const).map((concurrency) => {
    const calls = measured.find((s) => s.id === unarySectionIds[concurrency])?.metrics.find((m) => m.title === "calls/s")?.rounds;
    const on = calls?.["tsgrpc-stall"];
    const off = calls?.tsgrpc;
    const value = on?.length && off?.length ? median(on) / median(off) : Number.NaN;
    return `unary, concurrency ${concurrency}: ${Number.isFinite(value) ? `${value.toFixed(3)}×` : "not measured"}`;
  });
  return {
    id: "stall-overhead",
    title: "Stall monitor overhead",
    note: `Unary calls/s of "tsgrpc + stall monitor" as a ratio to tsgrpc without it (target: overhead under 2%, i.e. ≥ 0.98×): ${ratios.join("; ")}.`,
    metrics: [],
  };
}
