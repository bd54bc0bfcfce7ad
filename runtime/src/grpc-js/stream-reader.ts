import type { Readable } from "node:stream";
import { MessageQueue } from "../transport/message-queue.js";
import { Waiters } from "../transport/waiters.js";
import type { ReadGate } from "./read-gate.js";

/**
 * grpc-js is asked for more only while less than this is read ahead of the consumer, so a stream
 * holds under 64 KiB plus one message (the "64 KB or one message, whichever is larger"),
 * however large its messages, yet small ones stream without waiting on each other.
 */
export const readAheadBytes = 64 * 1024;

/** The most messages read ahead, so that empty messages are bounded too. */
export const readAheadMessages = 1024;

/**
 * Reading of a grpc-js client response stream (an object-mode Readable) in flowing mode, its
 * fastest path, with backpressure through the call's `ReadGate`: the gate is closed at
 * `readAheadBytes` / `readAheadMessages` unread and opened as the consumer takes messages, so
 * grpc-js reads no further ahead, the stream's own buffer stays empty, and a slow consumer slows
 * the server. `read()` gives null once the stream has ended or closed, or after `discard()`.
 */
export class StreamReader {
  readonly #gate: ReadGate;
  readonly #queue = new MessageQueue<Buffer>();
  readonly #readers = new Waiters();
  #finished = false;
  #discarded = false;
  #held = false;

  constructor(stream: Readable, gate: ReadGate) {
    this.#gate = gate;
    const finish = () => {
      this.#finished = true;
      this.#readers.wakeAll();
    };
    stream.on("data", (chunk: Buffer) => {
      if (this.#discarded) return;
      this.#queue.push(chunk);
      if (!this.#held && this.#full()) this.#hold();
      this.#readers.wakeAll();
    });
    // Not grpc-js's 'status': it can come while messages wait in the stream's buffer; 'end' comes after them.
    stream.on("end", finish);
    stream.on("close", finish);
  }

  /** Bytes of the messages received and not yet taken. */
  get bufferedBytes(): number {
    return this.#queue.bytes;
  }

  async read(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.readBuffered();
      if (chunk !== undefined) return chunk;
      await this.#readers.wait();
    }
  }

  /** A buffered message, null at the end, undefined if `read()` would wait. */
  readBuffered(): Buffer | null | undefined {
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      if (this.#held && !this.#full()) {
        this.#held = false;
        this.#gate.open();
      }
      return chunk;
    }
    return this.#finished ? null : undefined;
  }

  /**
   * Drops every buffered message and reads no more: `read()` gives null from now on. For an RPC
   * that ended on this side (cancelled, or past its deadline), whose messages grpcio never hands out.
   */
  discard(): void {
    this.#discarded = true;
    this.#finished = true;
    this.#queue.clear();
    if (!this.#held) this.#hold();
    this.#readers.wakeAll();
  }

  #full(): boolean {
    return this.#queue.full(readAheadBytes, readAheadMessages);
  }

  #hold(): void {
    this.#held = true;
    this.#gate.close();
  }
}
