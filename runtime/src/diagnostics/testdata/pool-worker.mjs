// A worker module for worker-pool tests (plain JS: piscina loads it in a worker thread as is).

/** Busy-waits `ms` milliseconds on the worker's own thread, then returns it doubled. */
export default function spin(ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {}
  return ms * 2;
}

/** Throws, to test how a failing task is reported. */
export function fail(message) {
  throw new Error(message);
}
