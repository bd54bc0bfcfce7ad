// grpc/grpc doc/connection-backoff.md: the wait before reconnecting starts at INITIAL_BACKOFF and
// grows by MULTIPLIER up to MAX_BACKOFF, each wait spread by ±JITTER; each attempt may take
// MIN_CONNECT_TIMEOUT, or the current backoff when that is longer.

const multiplier = 1.6;
const jitter = 0.2;
/** The least time a connection attempt is given. */
export const minConnectTimeoutMs = 20_000;

/** The waits between attempts to connect, in milliseconds. */
export class ConnectionBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  #currentMs: number;

  constructor(initialMs: number, maxMs: number) {
    this.#initialMs = initialMs;
    this.#maxMs = Math.max(initialMs, maxMs);
    this.#currentMs = initialMs;
  }

  /** How long the attempt starting now may take to connect. */
  connectTimeoutMs(): number {
    return Math.max(minConnectTimeoutMs, this.#currentMs);
  }

  /** The wait before the next attempt (jittered); the one after it is longer. */
  next(): number {
    const wait = this.#currentMs * (1 + jitter * (2 * Math.random() - 1));
    this.#currentMs = Math.min(this.#currentMs * multiplier, this.#maxMs);
    return Math.max(0, Math.round(wait));
  }

  /** A connection succeeded: the next failure starts over. */
  reset(): void {
    this.#currentMs = this.#initialMs;
  }
}
