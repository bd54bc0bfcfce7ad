import type { Http2Session } from "node:http2";

/** Timers that belong to one HTTP/2 connection: unref'd, and all cleared when it closes. */
export interface SessionTimers {
  /** Runs `run` after `ms` (clamp it: Node fires a longer timer at once), unless the connection closed first. */
  after(ms: number, run: () => void): NodeJS.Timeout;
  cancel(timer: NodeJS.Timeout | undefined): void;
}

export function sessionTimers(session: Http2Session): SessionTimers {
  const timers = new Set<NodeJS.Timeout>();
  session.once("close", () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  });
  return {
    after(ms, run) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, ms);
      timer.unref();
      timers.add(timer);
      return timer;
    },
    cancel(timer) {
      if (timer === undefined) return;
      clearTimeout(timer);
      timers.delete(timer);
    },
  };
}
