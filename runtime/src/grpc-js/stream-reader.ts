import type { Readable } from "node:stream";
import type { ReadGate } from "./read-gate.js";

/** Without a gate: messages taken off the stream before it is paused (its own buffer holds as many again). */
const highWaterMark = 16;

/**
 * With a gate: grpc-js is asked for more only while less than this is read ahead of the consumer,
 * so a stream holds under 64 KiB plus one message (the "64 KB or one message, whichever
 * is larger"), however large its messages, yet small ones stream without waiting on each other.
 */
export const readAheadBytes = 64 * 1024;

/** With a gate: the most messages read ahead, so that empty messages are bounded too. */
export const readAheadMessages = 1024;

/**
 * Reading of one of grpc-js's object-mode Readables, in flowing mode (its fastest path), with
 * backpressure: a slow reader slows the sender. `read()` gives null once the stream has ended or
 * closed, or after `discard()`.
 *
 * Given a `ReadGate` (client response streams), the gate bounds what grpc-js reads: it is closed
 * at `readAheadBytes` / `readAheadMessages` unread, and opened as the consumer takes messages, so
 * the stream's own buffer stays empty. Without one (the server's request streams, until the
 * server reads on demand) the stream is paused at `highWaterMark` unread messages and resumed once
 * they are all taken; grpc-js's buffer then fills with as many more before it stops asking the
 * peer for more.
 */
export class StreamReader {
  readonly #stream: Readable;
  readonly #gate: ReadGate | null;
  #queue: Buffer[] = [];
  #head = 0;
  #bytes = 0;
  // Every pending read() waits here: two readers at once must both wake, not just the last.
  #waiters: (() => void)[] = [];
  #finished = false;
  #discarded = false;
  #held = false;

  constructor(stream: Readable, gate: ReadGate | null = null) {
    this.#stream = stream;
    this.#gate = gate;
    const finish = () => {
      this.#finished = true;
      this.#wake();
    };
    stream.on("data", (chunk: Buffer) => {
      if (this.#discarded) return;
      this.#queue.push(chunk);
      this.#bytes += chunk.length;
      if (!this.#held && this.#full()) this.#hold();
      this.#wake();
    });
    // Not grpc-js's 'status': it can come while messages wait in the stream's buffer; 'end' comes after them.
    stream.on("end", finish);
    stream.on("close", finish);
  }

  /** Bytes of the messages received and not yet taken. */
  get bufferedBytes(): number {
    return this.#bytes;
  }

  async read(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.readBuffered();
      if (chunk !== undefined) return chunk;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** A buffered message, null at the end, undefined if `read()` would wait. */
  readBuffered(): Buffer | null | undefined {
    if (this.#head < this.#queue.length) {
      const chunk = this.#queue[this.#head++] as Buffer;
      this.#bytes -= chunk.length;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      if (this.#held && (this.#gate ? !this.#full() : this.#head === 0)) this.#release();
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
    this.#queue = [];
    this.#head = 0;
    this.#bytes = 0;
    if (!this.#held) this.#hold();
    this.#wake();
  }

  #full(): boolean {
    const count = this.#queue.length - this.#head;
    return this.#gate ? this.#bytes >= readAheadBytes || count >= readAheadMessages : count >= highWaterMark;
  }

  #hold(): void {
    this.#held = true;
    if (this.#gate) this.#gate.close();
    else this.#stream.pause();
  }

  #release(): void {
    this.#held = false;
    if (this.#gate) this.#gate.open();
    else this.#stream.resume();
  }

  #wake(): void {
    const waiters = this.#waiters;
    if (waiters.length === 0) return;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
