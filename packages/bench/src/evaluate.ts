/** The targets of issues #9, #16 and #29, evaluated on the sections of one run. */
import type { Section } from "./report.js";
import { median } from "./stats.js";
import { evaluate, ratio, type Target, type Verdict } from "./targets.js";
import { youngCalls } from "./workloads.js";

const anchorIds = ["proto-loader", "nice-grpc", "connect", "protobuf-ts"];

/** Peak server RSS in the unary test may exceed the floor's by this much (issue #16). */
export const unaryRssAllowanceMiB = 10;

function medianOf(sections: readonly Section[], section: string, metric: string, id: string): number | undefined {
  const rounds = sections.find((s) => s.id === section)?.metrics.find((m) => m.title === metric)?.rounds[id];
  return rounds?.length ? median(rounds) : undefined;
}

/** Evaluates every target of the issues that this run measured (others are "not measured"). */
export function evaluateTargets(sections: readonly Section[], implIds: readonly string[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const add = (target: Target) => verdicts.push(evaluate(target));
  const vs =
    (floorId: string) =>
    (issue: number, name: string, section: string, metric: string, bound: number, direction: "atLeast" | "atMost" = "atLeast") =>
      add({
        issue,
        name,
        direction,
        bound,
        ratio: ratio(medianOf(sections, section, metric, "tsgrpc"), medianOf(sections, section, metric, floorId)),
      });
  const vsFloor = vs("floor");
  const vsFloorEs = vs("floor-es");

  // Issue #16: tsgrpc (default messages) against raw grpc-js + ts-proto, as its users write it.
  for (const [concurrency, section] of [
    [1, "unary-c1"],
    [64, "unary-c64"],
  ] as const) {
    vsFloor(16, `unary calls/s, concurrency ${concurrency}, vs floor`, section, "calls/s", 0.95);
  }
  for (const [concurrency, section] of [
    [1, "unary-c1"],
    [64, "unary-c64"],
  ] as const) {
    vsFloor(16, `unary server CPU per call, concurrency ${concurrency}, vs floor`, section, "server CPU µs/call", 1.1, "atMost");
    vsFloor(16, `unary client CPU per call, concurrency ${concurrency}, vs floor`, section, "client CPU µs/call", 1.1, "atMost");
  }
  for (const [concurrency, section] of [
    [1, "unary-c1"],
    [64, "unary-c64"],
  ] as const) {
    const ours = medianOf(sections, section, "server peak RSS MiB", "tsgrpc");
    const floor = medianOf(sections, section, "server peak RSS MiB", "floor");
    const measured = ratio(ours, floor === undefined ? undefined : floor + unaryRssAllowanceMiB);
    const delta = (ours ?? Number.NaN) - (floor ?? Number.NaN);
    add({
      issue: 16,
      name: `unary server peak RSS, concurrency ${concurrency}, vs floor (ratio to floor + ${unaryRssAllowanceMiB} MiB)`,
      direction: "atMost",
      bound: 1,
      ratio: measured,
      boundText: `≤ floor + ${unaryRssAllowanceMiB} MiB`,
      measuredText: `${delta >= 0 ? "+" : "−"}${Math.abs(delta).toFixed(1)} MiB (${measured.toFixed(2)}×)`,
    });
  }

  // Issue #29: tsgrpc's own server transport (node-http2, the default) against the floor; the
  // client CPU bound (≤ 1.1×) and the RSS allowance are #16's above.
  vsFloor(29, "unary calls/s, concurrency 1, vs floor", "unary-c1", "calls/s", 1.0);
  vsFloor(29, "unary calls/s, concurrency 64, vs floor", "unary-c64", "calls/s", 1.2);
  for (const [concurrency, section] of [
    [1, "unary-c1"],
    [64, "unary-c64"],
  ] as const) {
    vsFloor(29, `unary server CPU per call, concurrency ${concurrency}, vs floor`, section, "server CPU µs/call", 0.7, "atMost");
  }
  for (const concurrency of [1, 64]) {
    const what = `young process: server CPU per call of the first ${youngCalls.toLocaleString("en-US")} calls, concurrency ${concurrency}, vs floor`;
    vsFloor(29, what, "unary-young", `c=${concurrency} server CPU µs/call`, 1.0, "atMost");
  }
  vsFloor(29, "server-streaming msgs/s vs floor", "server-stream", "msgs/s", 1.7);
  vsFloor(29, "client-streaming msgs/s vs floor", "client-stream", "msgs/s", 1.3);
  vsFloor(29, "bidi round trips/s vs floor", "bidi", "round trips/s", 1.1);

  // Issue #9: the runtimes with the codec held equal (floor-es: raw grpc-js + protobuf-es).
  vsFloorEs(9, "server-streaming msgs/s vs floor-es", "server-stream", "msgs/s", 1.0);
  vsFloorEs(9, "client-streaming msgs/s vs floor-es", "client-stream", "msgs/s", 1.0);
  vsFloorEs(9, "bidi round trips/s vs floor-es", "bidi", "round trips/s", 0.95);
  vsFloorEs(9, "slow-consumer server peak RSS vs floor-es", "slow-consumer", "server peak RSS MiB", 1.1, "atMost");

  const throughput: [string, string, string][] = [
    ["unary-c1", "calls/s", "unary, concurrency 1 calls/s"],
    ["unary-c64", "calls/s", "unary, concurrency 64 calls/s"],
    ["server-stream", "msgs/s", "server-stream msgs/s"],
    ["client-stream", "msgs/s", "client-stream msgs/s"],
    ["bidi", "round trips/s", "bidi round trips/s"],
  ];
  // A user picks tsgrpc's message codec, so "ahead of an anchor" compares the anchor with the
  // better of tsgrpc's two variants (default protobuf-es, messages=ts-proto) and names it.
  const variants = ["tsgrpc", "tsgrpc-ts-proto"].filter((id) => implIds.includes(id));
  for (const anchor of anchorIds.filter((id) => implIds.includes(id))) {
    for (const [section, metric, what] of throughput) {
      const anchorMedian = medianOf(sections, section, metric, anchor);
      const best = variants
        .map((id) => ({ id, ratio: ratio(medianOf(sections, section, metric, id), anchorMedian) }))
        .filter((candidate) => Number.isFinite(candidate.ratio))
        .sort((a, b) => b.ratio - a.ratio)[0];
      const label = best?.id === "tsgrpc-ts-proto" ? " (tsgrpc messages=ts-proto)" : best ? " (tsgrpc default messages)" : "";
      add({ issue: 9, name: `ahead of ${anchor}: ${what}${label}`, direction: "atLeast", bound: 1.0, ratio: best?.ratio ?? Number.NaN });
    }
  }

  const codegen = "codegen";
  const time = (id: string) => medianOf(sections, codegen, "wall s", id);
  add({
    issue: 9,
    name: "codegen wall time vs protoc-gen-es (messages only)",
    direction: "atMost",
    bound: 1.15,
    ratio: ratio(time("tsgrpc"), time("protoc-gen-es")),
  });
  add({
    issue: 9,
    name: "codegen wall time vs protoc-gen-ts_proto",
    direction: "atMost",
    bound: 0.35,
    ratio: ratio(time("tsgrpc"), time("ts-proto")),
  });
  add({
    issue: 9,
    name: "codegen peak RSS under 1 GB (measured / 1024 MiB)",
    direction: "atMost",
    bound: 1.0,
    ratio: ratio(medianOf(sections, codegen, "peak RSS MiB", "tsgrpc"), 1024),
  });
  return verdicts;
}
