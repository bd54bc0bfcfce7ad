import type { Call } from "../core/call.js";
import { StatusCode } from "../core/status-code.js";
import { CallDelegate } from "./call-delegate.js";
import type { ClientCall } from "./client-call.js";

/**
 * What unary-stream and stream-stream calls return: iterate it for the responses, and ask it what
 * a Call knows. Leaving the loop early (break, return, throw) cancels the RPC. A failed RPC makes
 * the iteration throw its RpcError after the messages that did arrive, except that after a cancel
 * or once the deadline has passed the next step throws at once, as in grpcio: responses received
 * but not yet pulled are dropped. The client reads ahead of the loop only a little (under 64 KiB
 * plus one message on grpc-js), so a slow loop slows the server instead of filling memory.
 */
export interface ResponseStream<Res> extends AsyncIterable<Res>, Call {}

/** The ResponseStream of a client call; responses are decoded as they are pulled. */
export class ClientResponseStream<Res> extends CallDelegate implements ResponseStream<Res>, AsyncIterator<Res> {
  protected readonly call: ClientCall;
  readonly #deserialize: (bytes: Uint8Array) => Res;

  constructor(call: ClientCall, deserialize: (bytes: Uint8Array) => Res) {
    super();
    this.call = call;
    this.#deserialize = deserialize;
  }

  [Symbol.asyncIterator](): AsyncIterator<Res> {
    return this;
  }

  async next(): Promise<IteratorResult<Res>> {
    const bytes = await this.call.transport.read();
    if (bytes === null) {
      await this.call.throwIfFailed();
      return { done: true, value: undefined };
    }
    try {
      return { done: false, value: this.#deserialize(bytes) };
    } catch (cause) {
      this.call.fail(StatusCode.INTERNAL, "Exception deserializing response!", cause);
      await this.call.throwIfFailed();
      throw cause;
    }
  }

  async return(): Promise<IteratorResult<Res>> {
    this.call.cancel();
    return { done: true, value: undefined };
  }
}
