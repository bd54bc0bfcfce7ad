/** Ratios to the floor and the issue's targets, evaluated with a 3% allowance for the machine's noise. */

/** A target counts as met within this fraction of the median ratio (the machine is noisy). */
export const tolerance = 0.03;

/** One target: `ratio` (median of the workload vs the floor's median) against `bound`. */
export interface Target {
  /** What is compared, e.g. "unary c=64 calls/s vs floor". */
  name: string;
  /** "atLeast": higher is better (throughput); "atMost": lower is better (RSS, time). */
  direction: "atLeast" | "atMost";
  bound: number;
  ratio: number;
  /** The issue that sets the target. */
  issue?: number;
  /** How the bound reads when it is not a plain ratio (e.g. "≤ floor + 10 MiB"). */
  boundText?: string;
  /** How the measurement reads when it is not a plain ratio (e.g. "+6.1 MiB"). */
  measuredText?: string;
}

/** The verdict on one target. */
export interface Verdict extends Target {
  verdict: "met" | "missed" | "not measured";
}

/** Evaluates `target`: met when the ratio is within 3% of the bound or better. */
export function evaluate(target: Target): Verdict {
  if (!Number.isFinite(target.ratio)) return { ...target, verdict: "not measured" };
  const met =
    target.direction === "atLeast" ? target.ratio >= target.bound * (1 - tolerance) : target.ratio <= target.bound * (1 + tolerance);
  return { ...target, verdict: met ? "met" : "missed" };
}

/** `value / floor`, NaN when either is missing or the floor is 0. */
export function ratio(value: number | undefined, floor: number | undefined): number {
  if (value === undefined || floor === undefined || !Number.isFinite(value) || !Number.isFinite(floor) || floor === 0) {
    return Number.NaN;
  }
  return value / floor;
}
