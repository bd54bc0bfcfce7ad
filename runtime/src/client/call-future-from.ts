import type { Call } from "../core/call.js";
import { DoneCallbacks, FutureCancelledError, waitWithTimeout } from "../core/future.js";
import type { Metadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { CallFuture } from "./call-future.js";

type Outcome<T> = { ok: true; value: T; call: Call } | { ok: false; error: RpcError };

/**
 * Builds a CallFuture from async logic, for client interceptors that retry, refresh a token or
 * otherwise wait before they can answer. `run` gets an AbortSignal that aborts when the future is
 * cancelled (pass it on: cancel the call you started); it resolves with the response and the
 * Call that produced it, or rejects with the RpcError to report (anything else becomes UNKNOWN).
 *
 * Until `run` settles, the Call getters wait; afterwards they answer from the returned Call or,
 * on failure, from the RpcError. `cancel()` makes `result()` reject with FutureCancelledError at
 * once, as grpcio's futures do, whether or not `run` honours the signal.
 *
 * @example
 * return callFutureFrom(async (signal) => {
 *   const attempt = continuation(details, request);
 *   signal.addEventListener("abort", () => attempt.cancel(), { once: true });
 *   return [await attempt.result(), attempt];
 * });
 */
export function callFutureFrom<T>(run: (signal: AbortSignal) => Promise<[T, Call]>): CallFuture<T> {
  return new AsyncCallFuture(run);
}

class AsyncCallFuture<T> implements CallFuture<T> {
  readonly #controller = new AbortController();
  readonly #settled: Promise<Outcome<T> | null>;
  #outcome: Outcome<T> | null = null;
  #cancelled = false;
  #resolveCancelled!: () => void;
  readonly #callbacks = new DoneCallbacks();

  constructor(run: (signal: AbortSignal) => Promise<[T, Call]>) {
    const cancelled = new Promise<null>((resolve) => (this.#resolveCancelled = () => resolve(null)));
    const outcome = Promise.resolve()
      .then(() => run(this.#controller.signal))
      .then(
        ([value, call]): Outcome<T> => ({ ok: true, value, call }),
        (error: unknown): Outcome<T> => ({ ok: false, error: RpcError.from(error) }),
      );
    this.#settled = Promise.race([outcome, cancelled]);
    void outcome.then((result) => {
      this.#outcome = result;
      this.#finish();
    });
  }

  // ---- Future
  cancel(): boolean {
    if (this.#callbacks.done) return false;
    this.#cancelled = true;
    this.#controller.abort();
    this.#resolveCancelled();
    this.#finish();
    return true;
  }

  cancelled(): boolean {
    return this.#cancelled;
  }

  running(): boolean {
    return !this.#callbacks.done;
  }

  done(): boolean {
    return this.#callbacks.done;
  }

  async result(options: { timeout?: number } = {}): Promise<T> {
    const outcome = await waitWithTimeout(this.#settled, options.timeout);
    if (this.#cancelled || outcome === null) throw new FutureCancelledError("The call was cancelled");
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async exception(options: { timeout?: number } = {}): Promise<RpcError | null> {
    const outcome = await waitWithTimeout(this.#settled, options.timeout);
    if (this.#cancelled || outcome === null) throw new FutureCancelledError("The call was cancelled");
    return outcome.ok ? null : outcome.error;
  }

  addDoneCallback(fn: (future: this) => void): void {
    this.#callbacks.add(() => fn(this));
  }

  // biome-ignore lint/suspicious/noThenProperty: a future is awaitable (PromiseLike), by design.
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.result().then(onFulfilled, onRejected);
  }

  // ---- Call
  async initialMetadata(): Promise<Metadata> {
    const outcome = await this.#ended();
    return outcome.ok ? outcome.call.initialMetadata() : outcome.error.initialMetadata();
  }

  async trailingMetadata(): Promise<Metadata> {
    const outcome = await this.#ended();
    return outcome.ok ? outcome.call.trailingMetadata() : outcome.error.trailingMetadata();
  }

  async code(): Promise<StatusCode> {
    const outcome = await this.#ended();
    return outcome.ok ? outcome.call.code() : outcome.error.code();
  }

  async details(): Promise<string> {
    const outcome = await this.#ended();
    return outcome.ok ? outcome.call.details() : outcome.error.details();
  }

  isActive(): boolean {
    return !this.#callbacks.done;
  }

  timeRemaining(): number | null {
    return this.#outcome?.ok ? this.#outcome.call.timeRemaining() : null;
  }

  addCallback(callback: () => void): boolean {
    if (this.#callbacks.done) return false;
    this.#callbacks.add(callback);
    return true;
  }

  /** The outcome; a cancelled future reports CANCELLED, as a cancelled call does. */
  async #ended(): Promise<Outcome<T>> {
    const outcome = await this.#settled;
    if (outcome !== null && !this.#cancelled) return outcome;
    return { ok: false, error: new RpcError(StatusCode.CANCELLED, "Locally cancelled by application!") };
  }

  #finish(): void {
    this.#callbacks.run();
  }
}
