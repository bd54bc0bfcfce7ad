import { constants, type Http2Session } from "node:http2";
import { timeoutToMs } from "../core/deadline.js";
import type { ServerLimits } from "../transport/transport.js";
import { keepalivePings } from "./keepalive-pings.js";
import { sessionTimers } from "./session-timers.js";

/** Without calls (and without `keepalivePermitWithoutCalls`), a client may PING this seldom: C-core's rule. */
const idlePingIntervalMs = 2 * 60 * 60 * 1000;

/** Connection ages vary by up to this fraction either way, so connections made together do not all end together. */
const ageJitter = 0.1;

/** What the transport tells a connection's keeper of each stream (its 'close' listener is the transport's, one per stream). */
export interface SessionKeeper {
  streamOpened(): void;
  streamClosed(): void;
}

/**
 * The lifetime rules of one HTTP/2 connection of a server, as grpc (C-core) applies them: GOAWAY
 * after `maxConnectionIdle` without streams and after `maxConnectionAge` (then closed after the
 * grace), a keepalive PING every `keepaliveTime` that must be answered within `keepaliveTimeout`,
 * and GOAWAY ENHANCE_YOUR_CALM "too_many_pings" for a client that PINGs more often than allowed.
 * Its timers belong to the connection and end with it.
 */
export function keepSession(session: Http2Session, limits: ServerLimits): SessionKeeper {
  const timers = sessionTimers(session);
  const after = (seconds: number, run: () => void): NodeJS.Timeout | undefined =>
    Number.isFinite(seconds) ? timers.after(timeoutToMs(seconds), run) : undefined;

  // Idle: GOAWAY once no stream has been open for maxConnectionIdle. One timer that, when it fires
  // early, waits out the rest: setting and clearing a timer around every RPC costs more.
  let open = 0;
  let idleSinceMs = Date.now();
  let idleTimer: NodeJS.Timeout | undefined;
  const watchIdle = (seconds: number): void => {
    idleTimer = after(seconds, () => {
      idleTimer = undefined;
      // A stream is open: the last one to close watches again.
      if (open > 0) return;
      const leftMs = idleSinceMs + limits.maxConnectionIdle * 1000 - Date.now();
      if (leftMs > 0) watchIdle(leftMs / 1000);
      else session.close();
    });
  };
  watchIdle(limits.maxConnectionIdle);
  // Ping policing: the time of the last PING allowed, and the strikes since a stream last opened.
  let lastPingMs = 0;
  let strikes = 0;

  session.on("ping", () => {
    const now = Date.now();
    const allowedMs = open > 0 || limits.keepalivePermitWithoutCalls ? timeoutToMs(limits.minClientPingInterval) : idlePingIntervalMs;
    const early = lastPingMs !== 0 && now - lastPingMs < allowedMs;
    lastPingMs = now;
    if (early && ++strikes > limits.maxPingStrikes) {
      session.goaway(constants.NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from("too_many_pings"));
      session.close();
    }
  });

  // Keepalive: a PING every keepaliveTime; no answer within keepaliveTimeout ends the connection.
  keepalivePings(session, timers, {
    intervalMs: () => (Number.isFinite(limits.keepaliveTime) ? timeoutToMs(limits.keepaliveTime) : Number.POSITIVE_INFINITY),
    timeoutMs: timeoutToMs(limits.keepaliveTimeout),
    wanted: () => true,
    unanswered: () => session.destroy(),
  });

  // Age: GOAWAY at maxConnectionAge (±10%), closed after the grace.
  const jitter = 1 + ageJitter * (2 * Math.random() - 1);
  after(limits.maxConnectionAge * jitter, () => {
    session.close();
    after(limits.maxConnectionAgeGrace, () => session.destroy());
  });

  return {
    streamOpened() {
      open++;
      strikes = 0;
    },
    streamClosed() {
      if (--open > 0 || session.closed) return;
      idleSinceMs = Date.now();
      if (idleTimer === undefined) watchIdle(limits.maxConnectionIdle);
    },
  };
}
