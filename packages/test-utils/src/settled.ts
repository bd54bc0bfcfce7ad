import { setTimeout as sleep } from "node:timers/promises";

/**
 * Waits until `value` has stopped changing for `quietMs` (or `maxMs` have passed) and returns it:
 * how far something bounded has gone once it is held, asserted as a count at a point in time
 * rather than after a guessed sleep.
 */
export async function settled(value: () => number | Promise<number>, quietMs = 300, maxMs = 5000): Promise<number> {
  const until = Date.now() + maxMs;
  let last = await value();
  let stableSince = Date.now();
  while (Date.now() < until && Date.now() - stableSince < quietMs) {
    await sleep(50);
    const now = await value();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
  return last;
}
