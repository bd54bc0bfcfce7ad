import type { Call } from "../core/call.js";
import { DoneCallbacks, type Future, FutureCancelledError, waitWithTimeout } from "../core/future.js";
import type { Metadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import type { StatusCode } from "../core/status-code.js";
import type { ClientCall } from "./client-call.js";

/** A unary-response RPC in flight: a Call and a Future of its response at once. */
export interface CallFuture<T> extends Call, Future<T> {
  /** Cancels the RPC; false if it had already finished. `result()` then rejects with FutureCancelledError. */
  cancel(): boolean;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: RpcError };

/**
 * The CallFuture of a client call whose single response `response` reads. The outcome is kept as
 * a value, so an RPC that fails while nobody waits on it causes no unhandled rejection.
 */
export class ClientCallFuture<T> implements CallFuture<T> {
  readonly #call: ClientCall;
  readonly #outcome: Promise<Outcome<T>>;
  #cancelled = false;
  readonly #doneCallbacks = new DoneCallbacks();

  constructor(call: ClientCall, response: () => Promise<T>) {
    this.#call = call;
    this.#outcome = response().then(
      (value): Outcome<T> => ({ ok: true, value }),
      (error: unknown): Outcome<T> => ({ ok: false, error: RpcError.from(error) }),
    );
    void this.#outcome.then(() => this.#doneCallbacks.run());
  }

  // ---- Future
  cancel(): boolean {
    if (this.#doneCallbacks.done || this.#cancelled) return false;
    this.#cancelled = true;
    this.#call.cancel();
    return true;
  }

  cancelled(): boolean {
    return this.#cancelled;
  }

  running(): boolean {
    return !this.#doneCallbacks.done;
  }

  done(): boolean {
    return this.#doneCallbacks.done;
  }

  async result(options: { timeout?: number } = {}): Promise<T> {
    const outcome = await waitWithTimeout(this.#outcome, options.timeout);
    if (this.#cancelled) throw new FutureCancelledError(`${this.#call.method} was cancelled`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async exception(options: { timeout?: number } = {}): Promise<RpcError | null> {
    const outcome = await waitWithTimeout(this.#outcome, options.timeout);
    if (this.#cancelled) throw new FutureCancelledError(`${this.#call.method} was cancelled`);
    return outcome.ok ? null : outcome.error;
  }

  addDoneCallback(fn: (future: this) => void): void {
    this.#doneCallbacks.add(() => fn(this));
  }

  // biome-ignore lint/suspicious/noThenProperty: a future is awaitable (PromiseLike), by design.
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.result().then(onFulfilled, onRejected);
  }

  // ---- Call
  initialMetadata(): Promise<Metadata> {
    return this.#call.initialMetadata();
  }

  trailingMetadata(): Promise<Metadata> {
    return this.#call.trailingMetadata();
  }

  code(): Promise<StatusCode> {
    return this.#call.code();
  }

  details(): Promise<string> {
    return this.#call.details();
  }

  isActive(): boolean {
    return this.#call.isActive();
  }

  timeRemaining(): number | null {
    return this.#call.timeRemaining();
  }

  addCallback(callback: () => void): boolean {
    return this.#call.addCallback(callback);
  }
}
