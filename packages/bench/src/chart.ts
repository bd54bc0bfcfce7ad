/**
 * Bar charts of a run as plain SVG text, one per workload (docs/benchmarks/<id>.svg): a panel per
 * metric that has a floor, a bar per implementation (median, with a min–max whisker) and the
 * floor's median as a dashed line. Deterministic: the same results give the same bytes.
 */
import { formatNumber, type ImplRow, type Section } from "./report.js";
import { summarize } from "./stats.js";

/** One bar: an implementation's median and range in one metric. */
export interface ChartBar {
  label: string;
  median: number;
  min: number;
  max: number;
  /** Drawn in the accent colour (tsgrpc's rows). */
  highlight: boolean;
}

/** One metric of a chart. */
export interface ChartPanel {
  title: string;
  higherIsBetter: boolean;
  /** Rows with no value are listed as "not measured". */
  bars: (ChartBar | { label: string; missing: true })[];
  /** The floor's median, drawn as a dashed line. */
  floor?: number | undefined;
  floorLabel: string;
  digits?: number | undefined;
}

/** A chart: a title and its panels, stacked. */
export interface Chart {
  title: string;
  panels: ChartPanel[];
}

const width = 760;
const fontSize = 12;
const barHeight = 16;
const barGap = 6;
const panelTitleHeight = 34;
const axisHeight = 22;
const panelGap = 18;
const chartTitleHeight = 30;
const valueRoom = 96;
const colors = { accent: "#2563eb", bar: "#94a3b8", floor: "#dc2626", text: "#111827", muted: "#6b7280", grid: "#e5e7eb" };

/** `text` with the five XML special characters escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string);
}

/** A label without its markdown (emphasis, code spans). */
function plain(label: string): string {
  return label.replace(/\*\*|`/g, "");
}

/** A round upper bound for an axis reaching `value`, and its tick step. */
export function niceScale(value: number): { max: number; step: number } {
  if (!(value > 0) || !Number.isFinite(value)) return { max: 1, step: 0.25 };
  const raw = value / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude) as number;
  return { max: Math.ceil(value / step - 1e-9) * step, step };
}

function tickText(value: number): string {
  if (value >= 1e6) return `${formatNumber(value / 1e6, value % 1e6 === 0 ? 0 : 1)}M`;
  if (value >= 1e3) return `${formatNumber(value / 1e3, value % 1e3 === 0 ? 0 : 1)}k`;
  return formatNumber(value, Number.isInteger(value) ? 0 : 2);
}

const fixed = (n: number) => (Math.round(n * 10) / 10).toString();

/** The SVG text of `chart`. */
export function renderChart(chart: Chart): string {
  const labels = chart.panels.flatMap((panel) => panel.bars.map((bar) => plain(bar.label)));
  const labelWidth = Math.min(340, Math.max(150, Math.ceil(Math.max(0, ...labels.map((l) => l.length)) * 6.6) + 16));
  const plotLeft = labelWidth;
  const plotWidth = width - plotLeft - valueRoom;
  const body: string[] = [];
  let y = chartTitleHeight;
  body.push(`<text class="title" x="12" y="20" font-size="15" font-weight="bold" fill="${colors.text}">${escapeXml(chart.title)}</text>`);
  for (const panel of chart.panels) {
    const values = panel.bars.flatMap((bar) => ("missing" in bar ? [] : [bar.max, bar.median]));
    const { max, step } = niceScale(Math.max(0, ...values, panel.floor ?? 0));
    const x = (value: number) => plotLeft + (Math.max(0, value) / max) * plotWidth;
    const better = panel.higherIsBetter ? "higher is better" : "lower is better";
    body.push(
      `<text class="panel-title" x="12" y="${y + 15}" font-size="13" font-weight="bold" fill="${colors.text}">${escapeXml(panel.title)} <tspan font-weight="normal" fill="${colors.muted}">(${better})</tspan></text>`,
    );
    const top = y + panelTitleHeight;
    const plotHeight = panel.bars.length * (barHeight + barGap);
    for (let tick = 0; tick <= max + 1e-9; tick += step) {
      body.push(
        `<line class="grid" x1="${fixed(x(tick))}" y1="${top - 2}" x2="${fixed(x(tick))}" y2="${top + plotHeight}" stroke="${colors.grid}"/>`,
      );
      body.push(
        `<text class="tick" x="${fixed(x(tick))}" y="${top + plotHeight + 14}" font-size="10" text-anchor="middle" fill="${colors.muted}">${tickText(tick)}</text>`,
      );
    }
    panel.bars.forEach((bar, index) => {
      const barTop = top + index * (barHeight + barGap);
      const middle = barTop + barHeight / 2;
      const label = plain(bar.label);
      body.push(
        `<text class="label" x="${plotLeft - 8}" y="${middle + 4}" font-size="${fontSize}" text-anchor="end" fill="${colors.text}">${escapeXml(label)}</text>`,
      );
      if ("missing" in bar) {
        body.push(
          `<text class="missing" x="${plotLeft + 4}" y="${middle + 4}" font-size="${fontSize}" fill="${colors.muted}">not measured</text>`,
        );
        return;
      }
      const value = formatNumber(bar.median, panel.digits);
      const range = `${formatNumber(bar.min, panel.digits)}–${formatNumber(bar.max, panel.digits)}`;
      body.push(
        `<rect class="bar" x="${plotLeft}" y="${barTop}" width="${fixed(x(bar.median) - plotLeft)}" height="${barHeight}" fill="${bar.highlight ? colors.accent : colors.bar}"><title>${escapeXml(`${label}: ${value} (${range})`)}</title></rect>`,
      );
      if (bar.max > bar.min) {
        body.push(
          `<line class="whisker" x1="${fixed(x(bar.min))}" y1="${middle}" x2="${fixed(x(bar.max))}" y2="${middle}" stroke="${colors.text}" stroke-width="1"/>`,
        );
      }
      body.push(
        `<text class="value" x="${fixed(x(Math.max(bar.max, bar.median)) + 5)}" y="${middle + 4}" font-size="11" fill="${colors.text}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(value)}</text>`,
      );
    });
    if (panel.floor !== undefined && Number.isFinite(panel.floor)) {
      const fx = fixed(x(panel.floor));
      body.push(
        `<line class="floor" x1="${fx}" y1="${top - 3}" x2="${fx}" y2="${top + plotHeight}" stroke="${colors.floor}" stroke-width="1.5" stroke-dasharray="5,3"/>`,
      );
      body.push(
        `<text class="floor-label" x="${fx}" y="${top - 6}" font-size="10" text-anchor="middle" fill="${colors.floor}">${escapeXml(panel.floorLabel)}</text>`,
      );
    }
    y = top + plotHeight + axisHeight + panelGap;
  }
  const height = y - panelGap + 6;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** Whether a metric is a rate (higher is better) rather than a cost. */
function isRate(title: string): boolean {
  return title.endsWith("/s");
}

/**
 * The chart of one section: a panel per metric that has a "× floor" column, a bar per row of
 * `rows` that the section lists, the median of `floor.id` as the dashed line. `highlight` picks
 * the accent rows.
 */
export function sectionChart(
  section: Section,
  rows: readonly ImplRow[],
  floor: { id: string; label: string },
  highlight: (id: string) => boolean,
): Chart | undefined {
  const metrics = section.metrics.filter((metric) => metric.ratioToFloor);
  if (!metrics.length) return undefined;
  const listed = rows.filter((row) => section.metrics.some((metric) => metric.rounds[row.id]?.length));
  return {
    title: section.title,
    panels: metrics.map((metric) => {
      const floorRounds = metric.rounds[floor.id];
      return {
        title: metric.title,
        higherIsBetter: isRate(metric.title),
        digits: metric.digits,
        floor: floorRounds?.length ? summarize(floorRounds).median : undefined,
        floorLabel: floor.label,
        bars: listed.map((row) => {
          const own = metric.rounds[row.id];
          if (!own?.length) return { label: row.label, missing: true as const };
          const summary = summarize(own);
          return { label: row.label, median: summary.median, min: summary.min, max: summary.max, highlight: highlight(row.id) };
        }),
      };
    }),
  };
}
