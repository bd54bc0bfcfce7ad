import { ChannelConnectivity } from "../core/connectivity.js";
import { DoneCallbacks, type Future, FutureCancelledError, waitWithTimeout } from "../core/future.js";
import type { Channel } from "./channel.js";

/**
 * A Future that completes when `channel` is READY, like grpcio's `channel_ready_future`.
 * Cancelling it only stops waiting; the channel is not affected.
 *
 * @example
 * await channelReadyFuture(channel).result({ timeout: 5 }); // rejects FutureTimeoutError
 */
export function channelReadyFuture(channel: Channel): Future<void> {
  return new ChannelReadyFuture(channel);
}

class ChannelReadyFuture implements Future<void> {
  readonly #channel: Channel;
  readonly #ready: Promise<void>;
  #resolve!: () => void;
  #cancelled = false;
  readonly #callbacks = new DoneCallbacks();
  readonly #onState = (state: ChannelConnectivity) => {
    if (state === ChannelConnectivity.READY) this.#finish();
  };

  constructor(channel: Channel) {
    this.#channel = channel;
    this.#ready = new Promise((resolve) => (this.#resolve = resolve));
    channel.subscribe(this.#onState, { tryToConnect: true });
  }

  cancel(): boolean {
    if (this.#callbacks.done) return false;
    this.#cancelled = true;
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

  async result(options: { timeout?: number } = {}): Promise<void> {
    await waitWithTimeout(this.#ready, options.timeout);
    if (this.#cancelled) throw new FutureCancelledError("channelReadyFuture was cancelled");
  }

  async exception(options: { timeout?: number } = {}): Promise<Error | null> {
    await this.result(options);
    return null;
  }

  addDoneCallback(fn: (future: this) => void): void {
    this.#callbacks.add(() => fn(this));
  }

  // biome-ignore lint/suspicious/noThenProperty: a future is awaitable (PromiseLike), by design.
  then<R1 = void, R2 = never>(
    // biome-ignore lint/suspicious/noConfusingVoidType: PromiseLike<void>'s own signature.
    onFulfilled?: ((value: void) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.result().then(onFulfilled, onRejected);
  }

  #finish(): void {
    if (this.#callbacks.done) return;
    this.#channel.unsubscribe(this.#onState);
    this.#resolve();
    this.#callbacks.run();
  }
}
