import type { Channel } from "./channel.js";
import { ChannelConnectivity } from "./connectivity.js";
import { type Future, FutureCancelledError, runDoneCallback, waitWithTimeout } from "./future.js";

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
  #done = false;
  #cancelled = false;
  #callbacks: (() => void)[] = [];
  readonly #onState = (state: ChannelConnectivity) => {
    if (state === ChannelConnectivity.READY) this.#finish();
  };

  constructor(channel: Channel) {
    this.#channel = channel;
    this.#ready = new Promise((resolve) => (this.#resolve = resolve));
    channel.subscribe(this.#onState, { tryToConnect: true });
  }

  cancel(): boolean {
    if (this.#done) return false;
    this.#cancelled = true;
    this.#finish();
    return true;
  }

  cancelled(): boolean {
    return this.#cancelled;
  }

  running(): boolean {
    return !this.#done;
  }

  done(): boolean {
    return this.#done;
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
    const callback = () => fn(this);
    if (this.#done) runDoneCallback(callback);
    else this.#callbacks.push(callback);
  }

  then<R1 = void, R2 = never>(
    onFulfilled?: ((value: void) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.result().then(onFulfilled, onRejected);
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#channel.unsubscribe(this.#onState);
    this.#resolve();
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    for (const callback of callbacks) runDoneCallback(callback);
  }
}
