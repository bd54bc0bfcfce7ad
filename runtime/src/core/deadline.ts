/** Node timers overflow past 2^31-1 ms (about 24.8 days) and then fire at once. */
export const maxTimerMs = 2_147_483_647;

/**
 * The effective deadline of a call: the earlier of `timeout` (seconds from now, like grpcio) and
 * `deadline`, or of a parent's deadline; null when none is given. A zero or negative timeout gives
 * a deadline in the past, so the call fails at once with DEADLINE_EXCEEDED (grpcio's behaviour).
 */
export function resolveDeadline(options: {
  timeout?: number | undefined;
  deadline?: Date | undefined;
  parent?: Date | null | undefined;
}): Date | null {
  let ms = Number.POSITIVE_INFINITY;
  if (options.timeout !== undefined) {
    if (typeof options.timeout !== "number" || Number.isNaN(options.timeout)) {
      throw new TypeError(`timeout must be a number of seconds, got ${String(options.timeout)}`);
    }
    ms = Date.now() + options.timeout * 1000;
  }
  if (options.deadline !== undefined) {
    if (!(options.deadline instanceof Date) || Number.isNaN(options.deadline.getTime())) {
      throw new TypeError(`deadline must be a valid Date, got ${String(options.deadline)}`);
    }
    ms = Math.min(ms, options.deadline.getTime());
  }
  if (options.parent) ms = Math.min(ms, options.parent.getTime());
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/**
 * A DEADLINE_EXCEEDED this close to the deadline counts as the deadline passing: timers may fire a
 * few ms before `Date.now()` reaches the deadline they were set for.
 */
export const deadlineSlackMs = 5;

/** Whether `deadline` has passed (or will within `slackMs`); false without a deadline. */
export function deadlinePassed(deadline: Date | null, slackMs = 0): boolean {
  return deadline !== null && deadline.getTime() <= Date.now() + slackMs;
}

/** Seconds from now until `deadline` (never negative), or null without one. */
export function secondsUntil(deadline: Date | null): number | null {
  if (deadline === null) return null;
  return Math.max(0, (deadline.getTime() - Date.now()) / 1000);
}

/** Converts a grpcio-style timeout in seconds to a timer delay in ms, clamped for Node timers. */
export function timeoutToMs(timeout: number): number {
  return Math.min(Math.max(0, Math.ceil(timeout * 1000)), maxTimerMs);
}
