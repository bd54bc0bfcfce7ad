import { StatusCode } from "../core/status-code.js";
import { decompress, type MessageEncoding } from "./message-compression.js";
import { FramingError, MessageDeframer } from "./message-framing.js";

/**
 * Where the messages of a stream go, in the order they were sent: shared by every call of a kind
 * (no closures per call), each function given the call it is for.
 */
export interface IncomingMessagesSink<O> {
  /** A whole message, inflated if it arrived compressed. */
  message(owner: O, data: Uint8Array, compressed: boolean): void;
  /** The stream cannot be read further: the RPC ends with this error's status. */
  failed(owner: O, error: FramingError): void;
  /** A pass over the bytes that arrived is done (messages may have been added): wake readers, decide on flow. */
  taken(owner: O): void;
}

/**
 * The messages of one direction of a call, cut from the bytes as they arrive and inflated with
 * the call's `grpc-encoding`: small messages on the event loop, large ones on libuv's thread pool
 * while the ones after them wait, so that they are handed on in order. A length or an inflated
 * size over the limit, a bad flag, or a compressed message on a call without an encoding is an
 * error that ends the stream.
 */
export class IncomingMessages<O> {
  readonly #deframer: MessageDeframer;
  readonly #maxMessageLength: number;
  readonly #sink: IncomingMessagesSink<O>;
  readonly #owner: O;
  /** The call's `grpc-encoding`; null for none. */
  encoding: MessageEncoding | null = null;
  #inflating = false;
  #stopped = false;

  constructor(maxMessageLength: number, sink: IncomingMessagesSink<O>, owner: O) {
    this.#maxMessageLength = maxMessageLength;
    this.#deframer = new MessageDeframer(maxMessageLength);
    this.#sink = sink;
    this.#owner = owner;
  }

  /** A message is being inflated off the event loop: the ones after it (and the end) wait for it. */
  get inflating(): boolean {
    return this.#inflating;
  }

  /** The length of the message being received, once its prefix is in; -1 before. */
  get pendingLength(): number {
    return this.#deframer.pendingLength;
  }

  push(chunk: Uint8Array): void {
    if (this.#stopped) return;
    this.#deframer.push(chunk);
    this.#take();
  }

  /** The bytes ended: an error if they ended inside a message. */
  end(): FramingError | null {
    return this.#deframer.end();
  }

  /** The call ended: nothing more is handed on. */
  stop(): void {
    this.#stopped = true;
  }

  #take(): void {
    while (!this.#inflating && !this.#stopped) {
      const next = this.#deframer.next();
      if (next === null) break;
      if (next instanceof FramingError) {
        this.#fail(next);
        return;
      }
      if (!next.compressed) {
        this.#sink.message(this.#owner, next.data, false);
        continue;
      }
      if (this.encoding === null) {
        this.#fail(new FramingError(StatusCode.INTERNAL, "A compressed message arrived on a call without grpc-encoding"));
        return;
      }
      const inflated = decompress(this.encoding, next.data, this.#maxMessageLength);
      if (inflated instanceof FramingError) {
        this.#fail(inflated);
        return;
      }
      if (inflated instanceof Uint8Array) {
        this.#sink.message(this.#owner, inflated, true);
        continue;
      }
      this.#inflating = true;
      void inflated.then((result) => {
        this.#inflating = false;
        if (this.#stopped) return;
        if (result instanceof FramingError) {
          this.#fail(result);
          return;
        }
        this.#sink.message(this.#owner, result, true);
        this.#take();
      });
    }
    this.#sink.taken(this.#owner);
  }

  #fail(error: FramingError): void {
    this.#stopped = true;
    this.#sink.failed(this.#owner, error);
  }
}
