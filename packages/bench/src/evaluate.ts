/** The issue #9 targets, evaluated on the sections of one run. */
import type { Section } from "./report.js";
import { median } from "./stats.js";
import { evaluate, ratio, type Verdict } from "./targets.js";

const anchorIds = ["proto-loader", "nice-grpc", "connect", "protobuf-ts"];

function medianOf(sections: readonly Section[], section: string, metric: string, id: string): number | undefined {
  const rounds = sections.find((s) => s.title === section)?.metrics.find((m) => m.title === metric)?.rounds[id];
  return rounds?.length ? median(rounds) : undefined;
}

/** Evaluates every target of the issue that this run measured (others are "not measured"). */
export function evaluateTargets(sections: readonly Section[], implIds: readonly string[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const vsFloor = (name: string, section: string, metric: string, bound: number, direction: "atLeast" | "atMost" = "atLeast") =>
    verdicts.push(
      evaluate({
        name,
        direction,
        bound,
        ratio: ratio(medianOf(sections, section, metric, "tsgrpc"), medianOf(sections, section, metric, "floor")),
      }),
    );
  vsFloor("unary calls/s, concurrency 1, vs floor", "Unary, concurrency 1", "calls/s", 0.95);
  vsFloor("unary calls/s, concurrency 64, vs floor", "Unary, concurrency 64", "calls/s", 0.95);
  vsFloor("server-streaming msgs/s vs floor", "Streaming", "server-stream msgs/s", 1.0);
  vsFloor("client-streaming msgs/s vs floor", "Streaming", "client-stream msgs/s", 1.0);
  vsFloor("bidi round trips/s vs floor", "Streaming", "bidi round trips/s", 0.95);
  vsFloor("slow-consumer server peak RSS vs floor", "Slow consumer", "server peak RSS MiB", 1.1, "atMost");

  const throughput: [string, string][] = [
    ["Unary, concurrency 1", "calls/s"],
    ["Unary, concurrency 64", "calls/s"],
    ["Streaming", "server-stream msgs/s"],
    ["Streaming", "client-stream msgs/s"],
    ["Streaming", "bidi round trips/s"],
  ];
  // A user picks tsgrpc's message codec, so "ahead of an anchor" compares the anchor with the
  // better of tsgrpc's two variants (default protobuf-es, messages=ts-proto) and names it.
  const variants = ["tsgrpc", "tsgrpc-ts-proto"].filter((id) => implIds.includes(id));
  for (const anchor of anchorIds.filter((id) => implIds.includes(id))) {
    for (const [section, metric] of throughput) {
      const anchorMedian = medianOf(sections, section, metric, anchor);
      const best = variants
        .map((id) => ({ id, ratio: ratio(medianOf(sections, section, metric, id), anchorMedian) }))
        .filter((candidate) => Number.isFinite(candidate.ratio))
        .sort((a, b) => b.ratio - a.ratio)[0];
      const label = best?.id === "tsgrpc-ts-proto" ? " (tsgrpc messages=ts-proto)" : best ? " (tsgrpc default messages)" : "";
      verdicts.push(
        evaluate({
          name: `ahead of ${anchor}: ${section === "Streaming" ? metric : `${section.toLowerCase()} ${metric}`}${label}`,
          direction: "atLeast",
          bound: 1.0,
          ratio: best?.ratio ?? Number.NaN,
        }),
      );
    }
  }

  const codegen = "Codegen (googleapis)";
  const time = (id: string) => medianOf(sections, codegen, "wall s", id);
  verdicts.push(evaluate({ name: "codegen wall time vs protoc-gen-es (messages only)", direction: "atMost", bound: 1.15, ratio: ratio(time("tsgrpc"), time("protoc-gen-es")) }));
  verdicts.push(evaluate({ name: "codegen wall time vs protoc-gen-ts_proto", direction: "atMost", bound: 0.35, ratio: ratio(time("tsgrpc"), time("ts-proto")) }));
  verdicts.push(
    evaluate({
      name: "codegen peak RSS under 1 GB (measured / 1024 MiB)",
      direction: "atMost",
      bound: 1.0,
      ratio: ratio(medianOf(sections, codegen, "peak RSS MiB", "tsgrpc"), 1024),
    }),
  );
  return verdicts;
}
