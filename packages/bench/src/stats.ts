/** Order statistics for benchmark samples (plain sorting; the sample counts are small). */

/** The `q`-quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (position - lower);
}

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Median, minimum and maximum of the rounds of one measurement. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

/** Summarises the per-round values of one measurement. */
export function summarize(rounds: readonly number[]): Summary {
  return {
    median: median(rounds),
    min: rounds.length ? Math.min(...rounds) : Number.NaN,
    max: rounds.length ? Math.max(...rounds) : Number.NaN,
    rounds: [...rounds],
  };
}
