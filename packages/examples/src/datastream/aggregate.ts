import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";

/** One row of the aggregated table: the sales of one category. */
export interface AggregateRowInit {
  category: string;
  count: bigint;
  sum: number;
  mean: number;
  min: number;
  max: number;
}

interface Totals {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * Reads the sales CSV at `path`, parses it (csv-parse) and groups it by category: the CPU-heavy
 * step that must not run on the event loop of a server (1,000,000 rows take seconds).
 * Runs as is on the event loop (`--mode=blocking`) or in a worker thread (aggregate-worker.ts).
 */
export function aggregateSalesCsv(path: string): AggregateRowInit[] {
  const byCategory = new Map<string, Totals>();
  parse(readFileSync(path), {
    fromLine: 2,
    // Aggregated as parsed; returning null keeps csv-parse from collecting a million records.
    onRecord: (record: string[]) => {
      const [, category = "", text = ""] = record;
      const amount = Number(text);
      const totals = byCategory.get(category);
      if (totals === undefined) byCategory.set(category, { count: 1, sum: amount, min: amount, max: amount });
      else {
        totals.count += 1;
        totals.sum += amount;
        totals.min = Math.min(totals.min, amount);
        totals.max = Math.max(totals.max, amount);
      }
      return null;
    },
  });
  return [...byCategory]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, t]) => ({ category, count: BigInt(t.count), sum: t.sum, mean: t.sum / t.count, min: t.min, max: t.max }));
}
