import { DoneCallbacks, type Future, FutureCancelledError, waitWithTimeout } from "./future.js";

/** How a computation ended: its value, or its error. Kept as a value, so that nobody waiting causes no unhandled rejection. */
export type Outcome<T, E extends Error> = { ok: true; value: T } | { ok: false; error: E };

/**
 * A Future over one outcome promise: the Future methods, written once for every future of the
 * runtime. Cancelling settles the future at once, as grpcio's do (`result()` rejects with
 * FutureCancelledError, done-callbacks run), whatever the computation does after; what else
 * cancelling does (cancel the RPC, stop waiting) is the subclass's `onCancel`.
 */
export abstract class OutcomeFuture<T, E extends Error = Error, O extends Outcome<T, E> = Outcome<T, E>> implements Future<T> {
  // Resolves with the outcome, or with null at a cancel, whichever comes first.
  readonly #settled: Promise<O | null>;
  #settle!: (outcome: O | null) => void;
  // The computation's outcome once it has one, even after a cancel.
  #outcome: O | null = null;
  #cancelled = false;
  readonly #callbacks = new DoneCallbacks();
  readonly #what: string;

  /** `outcome` must not reject. `what` names the computation in FutureCancelledError's message. */
  constructor(outcome: Promise<O>, what: string) {
    this.#what = what;
    this.#settled = new Promise((resolve) => {
      this.#settle = resolve;
    });
    void outcome.then((settled) => {
      this.#outcome = settled;
      this.#settle(settled);
      this.#callbacks.run();
    });
  }

  /** What cancelling does besides settling the future. */
  protected abstract onCancel(): void;

  /** Resolves with the outcome, or with null if the future was cancelled first. */
  protected get settled(): Promise<O | null> {
    return this.#settled;
  }

  /** The computation's outcome once it has one (even after a cancel; done-callbacks see it), else null. */
  protected get outcome(): O | null {
    return this.#outcome;
  }

  /** The done-callbacks, for an RPC's `add_callback` (run when the future is done). */
  protected get callbacks(): DoneCallbacks {
    return this.#callbacks;
  }

  cancel(): boolean {
    if (this.#callbacks.done) return false;
    this.#cancelled = true;
    this.#settle(null);
    this.onCancel();
    this.#callbacks.run();
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
    const outcome = await this.#wait(options.timeout);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async exception(options: { timeout?: number } = {}): Promise<E | null> {
    const outcome = await this.#wait(options.timeout);
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

  async #wait(timeout: number | undefined): Promise<O> {
    const outcome = await waitWithTimeout(this.#settled, timeout);
    if (this.#cancelled || outcome === null) throw new FutureCancelledError(`${this.#what} was cancelled`);
    return outcome;
  }
}
