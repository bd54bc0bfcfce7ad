/**
 * `npm run bench [-- --quick] [--only unary,…] [--impl floor,tsgrpc] [--rounds N] [--node 24] [--strace]`
 * at the root: tsgrpc vs the floor (raw grpc-js + ts-proto), floor-es (raw grpc-js + protobuf-es)
 * and the anchors, same run, interleaved rounds. A run of every implementation writes
 * docs/benchmarks.md (saying which workloads it ran, when `--only` picked some), its charts
 * (docs/benchmarks/*.svg) and results/latest.json; a run of some (`--impl`) writes
 * results/partial/ instead and leaves the docs alone.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareAnchors, systemProtoc } from "./anchors.js";
import { runCodegen } from "./codegen.js";
import { type BenchOptions, parseOptions } from "./config.js";
import { clockTicksPerSecond } from "./cpu.js";
import { type Results, renderCharts, renderMarkdown } from "./document.js";
import { evaluateTargets } from "./evaluate.js";
import { installerIn, nodeFor } from "./node-install.js";
import { type ImplRow, renderSection, renderVerdicts, type Section } from "./report.js";
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
import { runSyscallCounts } from "./syscalls.js";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const repoDir = join(benchDir, "../..");
const log = (line: string) => console.log(`bench: ${line}`);
const started = Date.now();
const ours = (file: string) => join(benchDir, "dist/impls", file);

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const { config, workloads } = options;

const execPath = options.node ? nodeFor(options.node, installerIn(repoDir), log) : process.execPath;
const ctx: RunContext = { config, log, worker: { execPath }, ticksPerSecond: clockTicksPerSecond(), nodes: new Set() };

const ownImpls: RunnableImpl[] = [
  { id: "floor", label: "floor: grpc-js + ts-proto (respects 'drain')", modulePath: ours("floor.js"), exportName: "impl" },
  { id: "floor-es", label: "floor-es: grpc-js + protobuf-es", modulePath: ours("floor-es.js"), exportName: "impl" },
  { id: "tsgrpc", label: "**tsgrpc** (default messages)", modulePath: ours("tsgrpc.js"), exportName: "impl" },
  { id: "tsgrpc-grpc-js", label: "**tsgrpc**, grpc-js server transport", modulePath: ours("tsgrpc.js"), exportName: "grpcJsImpl" },
  {
    id: "tsgrpc-node-client",
    label: "**tsgrpc**, node-http2 client transport",
    modulePath: ours("tsgrpc.js"),
    exportName: "nodeHttp2ClientImpl",
  },
  {
    id: "tsgrpc-async",
    label: "tsgrpc, `async` Unary handler",
    modulePath: ours("tsgrpc.js"),
    exportName: "asyncUnaryImpl",
    unaryOnly: true,
  },
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
const anchorIds = ["nice-grpc", "connect", "protobuf-ts"];
const knownIds = [...ownImpls.map((impl) => impl.id), ...anchorIds, naive.id];
for (const id of options.impls ?? []) {
  if (!knownIds.includes(id)) {
    console.error(`bench: --impl: unknown implementation ${JSON.stringify(id)} (one of ${knownIds.join(", ")})`);
    process.exit(2);
  }
}
const wanted = (id: string) => options.impls === null || options.impls.includes(id);
// The anchors' project also holds the codegen workload's plugins and corpus.
const needAnchors = workloads.has("codegen") || anchorIds.some(wanted);
const anchors = needAnchors ? await prepareAnchors(benchDir, log) : [];
const impls = [...ownImpls, ...anchors, naive].filter((impl) => wanted(impl.id));

log(
  `workers run ${execPath} (${execFileSync(execPath, ["--version"], { encoding: "utf8" }).trim()}); ${[...workloads].join(", ")}; ${impls.map((impl) => impl.id).join(", ")}`,
);
const sections: Section[] = [];
if (workloads.has("unary")) sections.push(...(await runUnaryWorkloads(impls, ctx)));
if (options.strace) sections.push(...(await runSyscallCounts(impls, ctx)));
if (workloads.has("streaming") || workloads.has("codec")) {
  sections.push(...(await runStreamingWorkloads(impls, ctx, workloads.has("streaming"), workloads.has("codec"))));
}
if (workloads.has("slow-consumer")) sections.push(await runSlowConsumer(impls, ctx));
if (workloads.has("scale-out") && wanted("tsgrpc")) sections.push(await runScaleOut(ours("tsgrpc.js"), ctx));
let codegenRows: ImplRow[] = [];
if (workloads.has("codegen")) {
  const codegen = await runCodegen(benchDir, config, log, execPath === process.execPath ? undefined : dirname(execPath));
  sections.push(...codegen.sections);
  codegenRows = codegen.rows;
}
if (workloads.has("unary") && wanted("tsgrpc") && wanted("tsgrpc-stall")) sections.push(stallOverhead(sections));

const workerNodes = [...ctx.nodes].filter(Boolean);
const results: Results = {
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: workerNodes.length ? workerNodes.join(", ") : execFileSync(execPath, ["--version"], { encoding: "utf8" }).trim(),
    orchestratorNode: process.version,
    date: new Date().toISOString(),
    command: options.command,
    durationS: Math.round((Date.now() - started) / 1000),
  },
  config,
  workloads: [...workloads],
  versions: packageVersions(),
  impls: impls.map(({ id, label, unavailable }) => ({ id, label, ...(unavailable ? { unavailable } : {}) })),
  codegenRows: codegenRows.map(({ id, label, unavailable }) => ({ id, label, ...(unavailable ? { unavailable } : {}) })),
  scaleOutRows,
  sections,
  verdicts: evaluateTargets(
    sections,
    impls.map((impl) => impl.id),
  ),
  failures: impls.flatMap((impl) => impl.failures ?? []),
};

// A partial run writes beside the results, never over the committed docs.
const docsDir = options.partial ? join(benchDir, "results/partial") : join(repoDir, "docs");
const chartDir = join(docsDir, "benchmarks");
const charts = renderCharts(results);
rmSync(chartDir, { recursive: true, force: true });
mkdirSync(chartDir, { recursive: true });
for (const { id, svg } of charts) writeFileSync(join(chartDir, `${id}.svg`), svg);
writeFileSync(join(docsDir, "benchmarks.md"), renderMarkdown(results, "benchmarks", new Set(charts.map((c) => c.id))));
mkdirSync(join(benchDir, "results"), { recursive: true });
const jsonPath = join(benchDir, options.partial ? "results/partial/results.json" : "results/latest.json");
writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${join(docsDir, "benchmarks.md")}, ${charts.length} charts in ${chartDir} and ${jsonPath} in ${results.machine.durationS} s`);
if (options.partial) {
  for (const section of sections) {
    if (section.metrics.length && section.id !== "codegen" && section.id !== "scale-out")
      console.log(`\n${renderSection(section, results.impls, "floor")}`);
  }
}
console.log(`\n${renderVerdicts(results.verdicts.filter((verdict) => verdict.verdict !== "not measured"))}`);

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
  for (const name of ["@grpc/grpc-js", "@bufbuild/protobuf", "ts-proto", "@grpc/proto-loader", "@tsgrpc/runtime"])
    versions[name] = read(benchDir, name) ?? "?";
  for (const name of [
    "nice-grpc",
    "ts-proto",
    "@connectrpc/connect-node",
    "@bufbuild/protobuf",
    "@bufbuild/protoc-gen-es",
    "@protobuf-ts/grpc-backend",
    "@protobuf-ts/grpc-transport",
    "@protobuf-ts/plugin",
    "google-proto-files",
  ]) {
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
