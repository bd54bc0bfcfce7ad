import { setTimeout as delay } from "node:timers/promises";
import { type ClientInterceptor, callFutureFrom, RpcError, StatusCode } from "@tsgrpc/runtime";

/** How `retryInterceptor` retries; times are seconds, as everywhere in tsgrpc. */
export interface RetryOptions {
  /** Attempts in all, the first one included (default 3). */
  maxAttempts?: number;
  /** Codes worth another attempt (default: UNAVAILABLE only, which is safe for any method). */
  retryableCodes?: StatusCode[];
  /** The first backoff ceiling (default 0.1 s); it doubles per attempt up to `maxBackoff` (1 s). */
  initialBackoff?: number;
  maxBackoff?: number;
}

/**
 * Retries unary-unary calls that fail with a retryable code, with exponential backoff and full
 * jitter, within the call's own deadline; cancelling the call stops the retries.
 */
export function retryInterceptor(options: RetryOptions = {}): ClientInterceptor {
  const maxAttempts = options.maxAttempts ?? 3;
  const retryable = new Set(options.retryableCodes ?? [StatusCode.UNAVAILABLE]);
  const initialBackoff = options.initialBackoff ?? 0.1;
  const maxBackoff = options.maxBackoff ?? 1;
  return {
    interceptUnaryUnary(continuation, details, request) {
      // One deadline for all attempts: each gets what is left of it.
      const deadlineMs = details.timeout === null ? null : Date.now() + details.timeout * 1000;
      return callFutureFrom(async (signal) => {
        for (let attempt = 1; ; attempt++) {
          const timeout = deadlineMs === null ? null : Math.max(0, deadlineMs - Date.now()) / 1000;
          const call = continuation({ ...details, timeout }, request);
          const cancel = () => call.cancel();
          signal.addEventListener("abort", cancel, { once: true });
          let failure: unknown;
          try {
            return [await call.result(), call];
          } catch (error) {
            failure = error;
          } finally {
            signal.removeEventListener("abort", cancel);
          }
          const worthRetrying = failure instanceof RpcError && retryable.has(failure.code());
          const backoffMs = Math.random() * Math.min(maxBackoff, initialBackoff * 2 ** (attempt - 1)) * 1000;
          const outOfTime = deadlineMs !== null && Date.now() + backoffMs >= deadlineMs;
          if (!worthRetrying || attempt >= maxAttempts || outOfTime) throw failure;
          await delay(backoffMs, undefined, { signal });
        }
      });
    },
  };
}
