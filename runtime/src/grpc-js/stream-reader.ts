import type { Readable } from "node:stream";

/**
 * Pull-based reading of one of grpc-js's object-mode Readables: grpc-js asks the peer for the next
 * message only when the stream's buffer (16 messages) has room, so a slow reader slows the sender.
 * `read()` gives null once the stream has ended, closed, or (client side) received its status.
 */
export class StreamReader {
  readonly #stream: Readable;
  // Every pending read() waits here: two readers at once must both wake, not just the last.
  #waiters: (() => void)[] = [];
  #finished = false;

  constructor(stream: Readable) {
    this.#stream = stream;
    const wake = () => {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    };
    const finish = () => {
      this.#finished = true;
      wake();
    };
    stream.on("readable", wake);
    stream.on("end", finish);
    stream.on("close", finish);
    stream.on("status", finish);
  }

  async read(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.#stream.read() as Buffer | null;
      if (chunk !== null) return chunk;
      if (this.#finished || this.#stream.readableEnded) return null;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}
