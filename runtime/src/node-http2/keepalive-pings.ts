import type { Http2Session } from "node:http2";
import type { SessionTimers } from "./session-timers.js";

/** When and how long: what each side's keepalive is made of. */
export interface KeepalivePolicy {
  /** Between PINGs (read again before each: a client doubles it after "too_many_pings"). */
  intervalMs(): number;
  /** How long a PING may go unanswered. */
  readonly timeoutMs: number;
  /** Whether to PING now (a client without calls may not); when not, the next turn asks again. */
  wanted(): boolean;
  /** A PING went unanswered: the connection is dead. */
  unanswered(): void;
}

/**
 * Keepalive PINGs on `session`, one at a time, as both of grpc's sides send them
 * (doc/keepalive.md): one every `intervalMs()`, and `unanswered()` when one is not acknowledged
 * within `timeoutMs`. Its timers are the connection's and end with it.
 */
export function keepalivePings(session: Http2Session, timers: SessionTimers, policy: KeepalivePolicy): void {
  const next = () => {
    const intervalMs = policy.intervalMs();
    if (!Number.isFinite(intervalMs)) return;
    timers.after(intervalMs, () => {
      if (session.closed || session.destroyed) return;
      if (!policy.wanted()) {
        next();
        return;
      }
      const deadline = timers.after(policy.timeoutMs, () => policy.unanswered());
      const sent = session.ping((error) => {
        timers.cancel(deadline);
        if (error === null) next();
      });
      if (!sent) timers.cancel(deadline);
    });
  };
  next();
}
