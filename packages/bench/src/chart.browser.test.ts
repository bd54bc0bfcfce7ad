// A generated chart renders in a real browser: Debian's headless Chromium (driven by
// playwright-core, as the examples' page test does) opens the SVG file as a reader of
// docs/benchmarks.md would, and draws every bar at the size the file declares.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkLeaksAfterAll } from "@tsgrpc/test-utils";
import { chromium } from "playwright-core";
import { renderChart, sectionChart } from "./chart.js";
import type { Section } from "./report.js";

const chromiumPath = "/usr/bin/chromium";
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

checkLeaksAfterAll();

const section: Section = {
  id: "unary-c1",
  title: "Unary, concurrency 1",
  metrics: [
    { title: "calls/s", rounds: { floor: [1600, 1700, 1650], tsgrpc: [1500, 1550, 1580], nice: [1720], "a&b": [900] }, ratioToFloor: true },
    {
      title: "server CPU µs/call",
      rounds: { floor: [210, 220], tsgrpc: [260, 300], nice: [230], "a&b": [400] },
      ratioToFloor: true,
      digits: 1,
    },
  ],
};
const rows = [
  { id: "floor", label: "floor: grpc-js + ts-proto (respects 'drain')" },
  { id: "tsgrpc", label: "**tsgrpc** (default messages)" },
  { id: "nice", label: "nice-grpc + ts-proto" },
  { id: "a&b", label: '<a> & "b"' },
];

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("a benchmark chart in Chromium", () => {
  it("parses as SVG and draws every bar and floor line at the declared size", async () => {
    // A missing browser fails the test instead of letting it pass without running.
    if (!existsSync(chromiumPath)) {
      throw new Error(`${chromiumPath} is absent: install it (apt-get install -y chromium; .ci/run does)`);
    }
    const chart = sectionChart(section, rows, { id: "floor", label: "floor" }, (id) => id === "tsgrpc");
    if (!chart) throw new Error("no chart");
    const svg = renderChart(chart);
    const declared = { width: Number(/width="(\d+)"/.exec(svg)?.[1]), height: Number(/height="(\d+)"/.exec(svg)?.[1]) };
    const dir = mkdtempSync(join(tmpdir(), "tsgrpc-chart-"));
    const file = join(dir, "unary-c1.svg");
    writeFileSync(file, svg);
    const browser = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: chromiumPath,
      args: chromiumArgs,
      viewport: { width: 1000, height: 800 },
      deviceScaleFactor: 1,
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      // An XML error would make Chromium show an HTML error page instead of an <svg> document.
      const root = page.locator(":root");
      expect(await root.evaluate((element) => element.tagName)).toBe("svg");
      expect(await page.locator("rect.bar").count()).toBe(8);
      expect(await page.locator("line.floor").count()).toBe(2);
      expect(await page.locator("text.label").allTextContents()).toContain('<a> & "b"');
      const box = await root.evaluate((element) => {
        const rect = element.getBoundingClientRect();
        return { width: rect.width, height: rect.height };
      });
      expect(box).toEqual(declared);
      // Every bar has a size on screen.
      const widths = await page.locator("rect.bar").evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().width));
      expect(widths.every((width) => width > 0)).toBe(true);
      const png = await page.screenshot({ clip: { x: 0, y: 0, ...declared }, timeout: 60_000 });
      expect(pngSize(png)).toEqual(declared);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
