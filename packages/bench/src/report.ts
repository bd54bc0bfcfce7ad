/** Renders benchmark results as the markdown of docs/benchmarks.md. */
import { type Summary, summarize } from "./stats.js";
import { ratio, type Verdict } from "./targets.js";

/** One column of a section: a metric measured per implementation, per round. */
export interface Metric {
  title: string;
  /** Per implementation id, the value of each round (missing: not measured). */
  rounds: Record<string, number[]>;
  /** Show a "× floor" column after this metric. */
  ratioToFloor?: boolean;
  /** Show a "Δ floor" column (the difference of medians) after this metric. */
  deltaToFloor?: boolean;
  /** Digits after the point (default: 0 at ≥ 100, else 2). */
  digits?: number;
}

/** One table: rows are implementations, columns are metrics. */
export interface Section {
  /** A slug naming the workload (its chart is docs/benchmarks/<id>.svg). */
  id: string;
  title: string;
  note?: string;
  metrics: Metric[];
}

/** An implementation as the tables list it. */
export interface ImplRow {
  id: string;
  label: string;
  /** Why it has no numbers (could not install, build or run), if so. */
  unavailable?: string;
}

/** Formats `value` compactly: thousands separated, 2 decimals below 100. */
export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return "–";
  const places = digits ?? (Math.abs(value) >= 100 ? 0 : 2);
  return value.toLocaleString("en-US", { minimumFractionDigits: places, maximumFractionDigits: places });
}

function cell(summary: Summary | undefined, digits: number | undefined): string {
  if (!summary || summary.rounds.length === 0) return "–";
  return `${formatNumber(summary.median, digits)} (${formatNumber(summary.min, digits)}–${formatNumber(summary.max, digits)})`;
}

/** Renders one section as a markdown table; the floor row is `floorId`. */
export function renderSection(section: Section, impls: readonly ImplRow[], floorId: string): string {
  const header = ["Implementation"];
  for (const metric of section.metrics) {
    header.push(`${metric.title} median (min–max)`);
    if (metric.ratioToFloor) header.push("× floor");
    if (metric.deltaToFloor) header.push("Δ floor");
  }
  const lines = [`### ${section.title}`, ""];
  if (section.note) lines.push(section.note, "");
  lines.push(`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
  for (const impl of impls) {
    if (!section.metrics.some((metric) => metric.rounds[impl.id]?.length)) {
      if (impl.unavailable) lines.push(`| ${impl.label} | ${impl.unavailable} |${" |".repeat(header.length - 2)}`);
      continue;
    }
    const cells = [impl.label];
    for (const metric of section.metrics) {
      const own = metric.rounds[impl.id];
      const summary = own ? summarize(own) : undefined;
      cells.push(cell(summary, metric.digits));
      if (metric.ratioToFloor) {
        const floor = metric.rounds[floorId];
        const value = ratio(summary?.median, floor ? summarize(floor).median : undefined);
        cells.push(Number.isFinite(value) ? `${value.toFixed(2)}×` : "–");
      }
      if (metric.deltaToFloor) {
        const floor = metric.rounds[floorId];
        const value = summary && floor?.length ? summary.median - summarize(floor).median : Number.NaN;
        cells.push(Number.isFinite(value) ? `${value >= 0 ? "+" : "−"}${formatNumber(Math.abs(value), metric.digits)}` : "–");
      }
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Renders the verdicts as a markdown table, saying "missed" plainly. */
export function renderVerdicts(verdicts: readonly Verdict[]): string {
  const lines = ["| Issue | Target | Bound | Measured | Verdict |", "|---|---|---:|---:|---|"];
  for (const verdict of verdicts) {
    const bound = verdict.boundText ?? `${verdict.direction === "atLeast" ? "≥" : "≤"} ${verdict.bound}×`;
    const measured = !Number.isFinite(verdict.ratio) ? "–" : (verdict.measuredText ?? `${verdict.ratio.toFixed(2)}×`);
    const mark = verdict.verdict === "missed" ? "**MISSED**" : verdict.verdict;
    lines.push(`| ${verdict.issue ? `#${verdict.issue}` : ""} | ${verdict.name} | ${bound} | ${measured} | ${mark} |`);
  }
  return lines.join("\n");
}
