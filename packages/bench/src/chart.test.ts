import { escapeXml, niceScale, renderChart, sectionChart } from "./chart.js";
import { type Results, renderCharts, renderMarkdown } from "./document.js";
import type { Section } from "./report.js";

const section: Section = {
  id: "unary-c1",
  title: "Unary, concurrency 1",
  metrics: [
    { title: "calls/s", rounds: { floor: [1000, 1100, 1200], tsgrpc: [800, 900, 950], "a&b": [1500] }, ratioToFloor: true },
    { title: "server CPU µs/call", rounds: { floor: [200], tsgrpc: [300] }, ratioToFloor: true, digits: 1 },
    { title: "p50 ms", rounds: { floor: [0.5], tsgrpc: [0.6] } },
  ],
};
const rows = [
  { id: "floor", label: "floor: grpc-js + ts-proto" },
  { id: "tsgrpc", label: "**tsgrpc** (default messages)" },
  { id: "a&b", label: `<script>"a" & 'b'</script>` },
  { id: "gone", label: "never measured" },
];
const chart = sectionChart(section, rows, { id: "floor", label: "floor" }, (id) => id === "tsgrpc");
const svg = chart ? renderChart(chart) : "";
const count = (pattern: RegExp) => svg.match(pattern)?.length ?? 0;

test("a panel per metric with a floor, a bar per measured implementation", () => {
  expect(chart?.panels.map((panel) => panel.title)).toEqual(["calls/s", "server CPU µs/call"]);
  // calls/s: floor, tsgrpc, a&b; server CPU: floor, tsgrpc (a&b has no value there).
  expect(count(/<rect class="bar"/g)).toBe(5);
  // A row measured in the section but not in a metric is listed as such.
  expect(count(/class="missing"/g)).toBe(1);
  expect(svg).not.toContain("never measured");
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="760"')).toBe(true);
});

test("the floor's median is a dashed line at its place on the axis", () => {
  expect(count(/<line class="floor"/g)).toBe(2);
  // calls/s: axis 0–1,500 (step 500) over the plot, floor median 1,100.
  const plotLeft = Number(/<rect class="bar" x="(\d+)"/.exec(svg)?.[1]);
  const plotWidth = 760 - plotLeft - 96;
  const floorX = Number(/<line class="floor" x1="([\d.]+)"/.exec(svg)?.[1]);
  expect(floorX).toBeCloseTo(plotLeft + (1100 / 1500) * plotWidth, 0);
  expect(svg).toContain('stroke-dasharray="5,3"');
});

test("labels are escaped and lose their markdown", () => {
  expect(svg).toContain("&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;");
  expect(svg).not.toContain("<script>");
  expect(svg).toContain(">tsgrpc (default messages)<");
  expect(escapeXml(`<&>"'`)).toBe("&lt;&amp;&gt;&quot;&apos;");
  const bar = { label: "tsgrpc, `async` Unary handler", median: 1, min: 1, max: 1, highlight: false };
  expect(renderChart({ title: "t", panels: [{ title: "calls/s", higherIsBetter: true, floorLabel: "floor", bars: [bar] }] })).toContain(
    ">tsgrpc, async Unary handler<",
  );
});

test("accent, whiskers and values", () => {
  expect(count(/fill="#2563eb"/g)).toBe(2);
  // Whiskers only where the rounds differ: floor and tsgrpc in calls/s.
  expect(count(/<line class="whisker"/g)).toBe(2);
  expect(svg).toContain("<title>tsgrpc (default messages): 900 (800–950)</title>");
  expect(svg).toContain(">300.0</text>");
});

test("the same results give the same bytes", () => {
  const again = sectionChart(structuredClone(section), rows, { id: "floor", label: "floor" }, (id) => id === "tsgrpc");
  expect(again && renderChart(again)).toBe(svg);
});

test("axes end on a round number", () => {
  expect(niceScale(1234)).toEqual({ max: 1500, step: 500 });
  expect(niceScale(3.2)).toEqual({ max: 4, step: 1 });
  expect(niceScale(100)).toEqual({ max: 100, step: 25 });
  expect(niceScale(0)).toEqual({ max: 1, step: 0.25 });
});

test("the document links each chart under its section's heading, from the same results", () => {
  const results = {
    machine: {
      cpu: "cpu",
      cores: 2,
      memoryGiB: 8,
      node: "v24.0.0",
      orchestratorNode: "v20.20.2",
      date: "2026-01-01T00:00:00.000Z",
      command: "npm run bench -- --quick",
      durationS: 60,
    },
    config: { quick: true, rounds: 3 },
    workloads: ["unary", "streaming"],
    versions: { "@grpc/grpc-js": "1.14.7" },
    impls: rows,
    codegenRows: [],
    scaleOutRows: [],
    sections: [section, { id: "stall-overhead", title: "Stall monitor overhead", note: "n/a", metrics: [] }],
    verdicts: [],
    failures: [],
  } as unknown as Results;
  const charts = renderCharts(results);
  expect(charts.map((c) => c.id)).toEqual(["unary-c1"]);
  expect(charts[0]?.svg).toBe(svg);
  const markdown = renderMarkdown(results, "benchmarks", new Set(["unary-c1"]));
  expect(markdown).toContain("**Quick run**");
  expect(markdown).toContain(
    "**Partial run**: the unary, streaming workloads only (`--only`); codec, slow-consumer, scale-out, codegen were not measured",
  );
  expect(markdown).toContain("Node v24.0.0 in the server and client processes");
  expect(markdown).toContain(
    "### Unary, concurrency 1\n\n![Unary, concurrency 1: a bar per implementation, the floor dashed](benchmarks/unary-c1.svg)\n",
  );
  expect(markdown).not.toContain("benchmarks/stall-overhead.svg");
});
