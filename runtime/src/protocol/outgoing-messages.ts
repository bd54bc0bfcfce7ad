import { compress, compressSync, type MessageEncoding, minCompressedMessageBytes, syncCompressionBytes } from "./message-compression.js";
import { frameMessage } from "./message-framing.js";

/**
 * Where the framed messages of one direction of a call go, in order: shared by every call of a
 * kind (no closures per call), each function given the call it is for.
 */
export interface OutgoingMessagesSink<O> {
  /** Sends a framed message; false when the stream has no room for more until it drains. */
  send(owner: O, framed: Uint8Array): boolean;
  /** A message could not be compressed: the call ends. */
  failed(owner: O, error: unknown): void;
  /** The messages compressed off the event loop have all gone to `send`. */
  caughtUp(owner: O): void;
}

/**
 * The messages of one direction of a call, framed and compressed with the call's `grpc-encoding`
 * (per message: `noCompress`, and messages under `minCompressedMessageBytes` go uncompressed):
 * small ones on the event loop, large ones on libuv's thread pool while the ones after them wait,
 * so that they go out in order.
 */
export class OutgoingMessages<O> {
  readonly #sink: OutgoingMessagesSink<O>;
  readonly #owner: O;
  /** The call's `grpc-encoding`; null for none. */
  encoding: MessageEncoding | null = null;
  #pending: Promise<void> | null = null;

  constructor(sink: OutgoingMessagesSink<O>, owner: O) {
    this.#sink = sink;
    this.#owner = owner;
  }

  /** Resolves once the messages being compressed have gone out; null when none is. */
  get pending(): Promise<void> | null {
    return this.#pending;
  }

  /** Frames `message` and sends it, or queues it behind one being compressed; false when there is no room for more now. */
  write(message: Uint8Array, noCompress = false): boolean {
    const encoding = this.encoding;
    const compressed = encoding !== null && !noCompress && message.byteLength >= minCompressedMessageBytes;
    if (this.#pending === null && (!compressed || message.byteLength <= syncCompressionBytes)) {
      return this.#sink.send(this.#owner, compressed ? frameMessage(compressSync(encoding, message), true) : frameMessage(message));
    }
    // Compressed on the thread pool (a large message would stall every other call on the event
    // loop meanwhile); what is written after it waits its turn.
    const framed = compressed ? compress(encoding, message).then((bytes) => frameMessage(bytes, true)) : frameMessage(message);
    const done = (this.#pending ?? Promise.resolve())
      .then(() => framed)
      .then(
        (bytes) => void this.#sink.send(this.#owner, bytes),
        (error: unknown) => this.#sink.failed(this.#owner, error),
      );
    this.#pending = done;
    void done.then(() => {
      if (this.#pending !== done) return;
      this.#pending = null;
      this.#sink.caughtUp(this.#owner);
    });
    return false;
  }
}
