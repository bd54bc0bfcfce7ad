import { ChannelConnectivity } from "../core/connectivity.js";
import type { Future } from "../core/future.js";
import { OutcomeFuture } from "../core/outcome-future.js";
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

class ChannelReadyFuture extends OutcomeFuture<void> {
  readonly #channel: Channel;
  readonly #onState: (state: ChannelConnectivity) => void;

  constructor(channel: Channel) {
    let ready!: () => void;
    super(new Promise((resolve) => (ready = () => resolve({ ok: true, value: undefined }))), "channelReadyFuture");
    this.#channel = channel;
    this.#onState = (state) => {
      if (state !== ChannelConnectivity.READY) return;
      this.#stopWatching();
      ready();
    };
    channel.subscribe(this.#onState, { tryToConnect: true });
  }

  protected onCancel(): void {
    this.#stopWatching();
  }

  #stopWatching(): void {
    this.#channel.unsubscribe(this.#onState);
  }
}
