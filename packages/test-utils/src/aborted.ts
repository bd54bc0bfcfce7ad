/**
 * Resolves when `signal` aborts (at once if it has): what a test handler awaits to stay in flight
 * until the client cancels or the deadline passes. The listener is removed when it fires.
 */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
