import { closeSync, openSync, writeSync } from "node:fs";

/** The five categories of the generated table: the aggregate has one row per category. */
export const categories = ["books", "games", "garden", "music", "tools"] as const;

/**
 * Writes a sales table of `rows` rows (`id,category,amount`, with a header) to `path`, the kind
 * of export a streaming handler is asked to aggregate. Deterministic (a fixed LCG), so tests
 * can check the sums. Written in chunks: a million rows is ~20 MB.
 */
export function writeSalesCsv(path: string, rows: number): void {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, "id,category,amount\n");
    let seed = 42;
    const chunkRows = 50_000;
    for (let start = 0; start < rows; start += chunkRows) {
      const lines: string[] = [];
      for (let id = start; id < Math.min(rows, start + chunkRows); id++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        const amount = (seed % 100_000) / 100;
        // Every tenth category name is quoted, as spreadsheet exports do: the parser must cope.
        const category = categories[id % categories.length];
        lines.push(`${id},${id % 10 === 0 ? `"${category}"` : category},${amount.toFixed(2)}`);
      }
      writeSync(fd, `${lines.join("\n")}\n`);
    }
  } finally {
    closeSync(fd);
  }
}
