import type { Readable } from "node:stream";

/** Messages taken off the stream before it is paused: grpc-js's own buffer holds as many again. */
const highWaterMark = 16;

/**
 * Reading of one of grpc-js's object-mode Readables, in flowing mode (its fastest path) with
 * backpressure kept: at `highWaterMark` unread messages the stream is paused, grpc-js's buffer
 * fills, and it stops asking the peer for more, so a slow reader slows the sender.
 * `read()` gives null once the stream has ended, closed, or (client side) received its status.
 */
export class StreamReader {
  readonly #stream: Readable;
  #queue: Buffer[] = [];
  #head = 0;
  // Every pending read() waits here: two readers at once must both wake, not just the last.
  #waiters: (() => void)[] = [];
  #finished = false;
  #paused = false;

  constructor(stream: Readable) {
    this.#stream = stream;
    const finish = () => {
      this.#finished = true;
      this.#wake();
    };
    stream.on("data", (chunk: Buffer) => {
      this.#queue.push(chunk);
      if (this.#queue.length - this.#head >= highWaterMark && !this.#paused) {
        this.#paused = true;
        stream.pause();
      }
      this.#wake();
    });
    stream.on("end", finish);
    stream.on("close", finish);
    stream.on("status", finish);
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
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
        if (this.#paused) {
          this.#paused = false;
          this.#stream.resume();
        }
      }
      return chunk;
    }
    return this.#finished ? null : undefined;
  }

  #wake(): void {
    const waiters = this.#waiters;
    if (waiters.length === 0) return;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
