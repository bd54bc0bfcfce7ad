import { StatusCode } from "../core/status-code.js";

// gRPC's Length-Prefixed-Message (PROTOCOL-HTTP2.md, "Requests"): a 1-byte compressed flag, a
// 4-byte big-endian length, then the message. Pure functions over bytes: any transport can use them.

/** Bytes before each message: the compressed flag and the length. */
export const messageHeaderLength = 5;

/** A message taken off the wire; `data` may be a view into the bytes that arrived. */
export interface FramedMessage {
  /** The compressed flag: `data` is compressed with the call's `grpc-encoding`. */
  readonly compressed: boolean;
  readonly data: Uint8Array;
}

/** Why a stream of messages cannot be read further: the RPC ends with `code`. */
export class FramingError {
  readonly code: StatusCode;
  readonly details: string;
  constructor(code: StatusCode, details: string) {
    this.code = code;
    this.details = details;
  }
}

/** `message` with its 5-byte prefix, in one new buffer (one write, one DATA frame when it fits). */
export function frameMessage(message: Uint8Array, compressed = false): Uint8Array {
  // From Node's buffer pool (small messages share one allocation), every byte written below.
  const framed = Buffer.allocUnsafe(messageHeaderLength + message.byteLength);
  const length = message.byteLength;
  framed[0] = compressed ? 1 : 0;
  framed[1] = length >>> 24;
  framed[2] = (length >>> 16) & 0xff;
  framed[3] = (length >>> 8) & 0xff;
  framed[4] = length & 0xff;
  framed.set(message, messageHeaderLength);
  return framed;
}

/**
 * Cuts the bytes of a stream, as they arrive in chunks of any size, into messages. A message that
 * arrived within one chunk is returned as a view of it (no copy); one split across chunks is
 * joined once. A length over `maxMessageLength` is an error as soon as its prefix is in, before
 * any of the body is kept.
 */
export class MessageDeframer {
  readonly #maxMessageLength: number;
  #chunks: Uint8Array[] = [];
  // Bytes of #chunks[0] already consumed.
  #offset = 0;
  #buffered = 0;
  #error: FramingError | null = null;

  constructor(maxMessageLength: number) {
    this.#maxMessageLength = maxMessageLength;
  }

  /** Bytes that arrived and are not yet returned as a message. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** The length of the message being received, once its prefix is in; -1 before. */
  get pendingLength(): number {
    return this.#buffered >= messageHeaderLength ? this.#peekLength() : -1;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0 || this.#error !== null) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
  }

  /** The next whole message, null when more bytes are needed, or the error that ends the stream (again on every call). */
  next(): FramedMessage | FramingError | null {
    if (this.#error !== null) return this.#error;
    if (this.#buffered < messageHeaderLength) return null;
    const flag = this.#peekByte(0);
    if (flag > 1) return this.#fail(StatusCode.INTERNAL, `Invalid message flag ${flag} (only 0 and 1 are defined)`);
    const length = this.#peekLength();
    if (length > this.#maxMessageLength) {
      return this.#fail(StatusCode.RESOURCE_EXHAUSTED, `Received message larger than max (${length} vs. ${this.#maxMessageLength})`);
    }
    if (this.#buffered < messageHeaderLength + length) return null;
    this.#skip(messageHeaderLength);
    return { compressed: flag === 1, data: this.#take(length) };
  }

  /** The stream ended: an error if it ended inside a message. */
  end(): FramingError | null {
    if (this.#error !== null || this.#buffered === 0) return this.#error;
    return this.#fail(StatusCode.INTERNAL, `The stream ended inside a message (${this.#buffered} bytes of it received)`);
  }

  #fail(code: StatusCode, details: string): FramingError {
    this.#error = new FramingError(code, details);
    this.#chunks = [];
    this.#buffered = 0;
    return this.#error;
  }

  #peekByte(index: number): number {
    let at = this.#offset + index;
    for (const chunk of this.#chunks) {
      if (at < chunk.byteLength) return chunk[at] as number;
      at -= chunk.byteLength;
    }
    throw new RangeError("peek past the buffered bytes");
  }

  #peekLength(): number {
    return ((this.#peekByte(1) << 24) >>> 0) + (this.#peekByte(2) << 16) + (this.#peekByte(3) << 8) + this.#peekByte(4);
  }

  #skip(count: number): void {
    let left = count;
    while (left > 0) {
      const first = this.#chunks[0] as Uint8Array;
      const available = first.byteLength - this.#offset;
      if (available > left) {
        this.#offset += left;
        break;
      }
      left -= available;
      this.#chunks.shift();
      this.#offset = 0;
    }
    this.#buffered -= count;
  }

  #take(length: number): Uint8Array {
    const first = this.#chunks[0];
    if (length === 0) return new Uint8Array(0);
    if (first !== undefined && first.byteLength - this.#offset >= length) {
      const view = first.subarray(this.#offset, this.#offset + length);
      this.#skip(length);
      return view;
    }
    const joined = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.#chunks[0] as Uint8Array;
      const part = chunk.subarray(this.#offset, this.#offset + Math.min(length - filled, chunk.byteLength - this.#offset));
      joined.set(part, filled);
      filled += part.byteLength;
      this.#skip(part.byteLength);
    }
    return joined;
  }
}
