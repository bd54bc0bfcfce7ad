import { timeoutToMs } from "./deadline.js";

/**
 * A grpcio-style future: a computation that can be polled, waited on with a timeout, and
 * cancelled. It is also PromiseLike, so `await future` yields the result.
 */
export interface Future<T> extends PromiseLike<T> {
  /** Attempts to cancel; false if the computation already finished. */
  cancel(): boolean;
  /** Whether the future was cancelled. */
  cancelled(): boolean;
  /** Whether the computation is still running (and can be cancelled). */
  running(): boolean;
  /** Whether the computation finished: with a result, an error, or cancelled. */
  done(): boolean;
  /**
   * The result, waiting at most `timeout` seconds: rejects with `FutureTimeoutError` if it is not
   * done by then, `FutureCancelledError` if it was cancelled, or the computation's error.
   */
  result(options?: { timeout?: number }): Promise<T>;
  /** The computation's error, or null if it succeeded; the same timeout and cancel rules as result(). */
  exception(options?: { timeout?: number }): Promise<Error | null>;
  /** Calls `fn(future)` when done, or at once if already done. Errors thrown by `fn` are reported, not raised. */
  addDoneCallback(fn: (future: this) => void): void;
}

const timeoutBrand = Symbol.for("@tsgrpc/runtime/FutureTimeoutError");
const cancelledBrand = Symbol.for("@tsgrpc/runtime/FutureCancelledError");

/** `result()` or `exception()` gave up waiting: the future is not done yet. */
export class FutureTimeoutError extends Error {
  constructor(message = "Future did not complete within the timeout") {
    super(message);
    this.name = "FutureTimeoutError";
    Object.defineProperty(this, timeoutBrand, { value: true });
  }

  /** Recognises an instance by its brand, so that `instanceof` holds across the ESM and CommonJS builds and duplicate installs. */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && timeoutBrand in x;
  }
}

/** The future was cancelled before it produced a result. */
export class FutureCancelledError extends Error {
  constructor(message = "Future was cancelled") {
    super(message);
    this.name = "FutureCancelledError";
    Object.defineProperty(this, cancelledBrand, { value: true });
  }

  /** Recognises an instance by its brand, so that `instanceof` holds across the ESM and CommonJS builds and duplicate installs. */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && cancelledBrand in x;
  }
}

/**
 * Waits for `settled` at most `timeout` seconds (forever without one), rejecting with
 * FutureTimeoutError after that. The timer is always cleared.
 */
export async function waitWithTimeout<T>(settled: Promise<T>, timeout: number | undefined): Promise<T> {
  if (timeout === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FutureTimeoutError()), timeoutToMs(timeout));
  });
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Callbacks waiting for something to be done (a Future, an RPC): `run()` calls each once. What a
 * callback throws is reported, not raised (grpcio logs it).
 */
export class DoneCallbacks {
  // Made on first add: most are never given one.
  #pending: (() => void)[] | null = null;
  #done = false;

  /** True once `run()` was called. */
  get done(): boolean {
    return this.#done;
  }

  /** A Future's `add_done_callback`: one added once done runs at once. */
  add(callback: () => void): void {
    if (this.#done) runDoneCallback(callback);
    else (this.#pending ??= []).push(callback);
  }

  /** An RPC's `add_callback`: false once done, and the callback is not run. */
  addIfPending(callback: () => void): boolean {
    if (this.#done) return false;
    (this.#pending ??= []).push(callback);
    return true;
  }

  run(): void {
    if (this.#done) return;
    this.#done = true;
    const pending = this.#pending;
    this.#pending = null;
    for (const callback of pending ?? []) runDoneCallback(callback);
  }
}

/** Runs a done-callback, reporting (not raising) what it throws, as grpcio logs it. */
export function runDoneCallback(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    process.emitWarning(`tsgrpc: a done callback threw: ${error instanceof Error ? error.stack : String(error)}`);
  }
}
