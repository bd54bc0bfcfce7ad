interface Pending<T> {
  item: T;
  taken: () => void;
  dropped: (error: Error) => void;
}

/** A write after `doneWriting()` (or `end()`): the caller names the method. */
export class WriteAfterEndError extends Error {
  constructor() {
    super("cannot write after doneWriting()");
    this.name = "WriteAfterEndError";
  }
}

/**
 * The requests of a chat-style call, as an async iterable the request writer pulls from. `push`
 * resolves when the writer has taken the item, and the writer takes the next one only when the
 * transport has room, so a caller that awaits each `push` is flow-controlled. (One that does not
 * await holds its unsent items here, as it asked to.)
 */
export class RequestQueue<T> implements AsyncIterable<T> {
  readonly #items: Pending<T>[] = [];
  #wakeReader: (() => void) | null = null;
  #ended = false;
  #failure: Error | null = null;

  /** Resolves when the writer took `item`; rejects if the call ended first. */
  push(item: T): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#ended) return Promise.reject(new WriteAfterEndError());
    return new Promise<void>((taken, dropped) => {
      this.#items.push({ item, taken, dropped });
      this.#wake();
    });
  }

  /** No more items: the iteration ends once the queued ones are taken. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** The call ended: queued and later pushes reject with `error`. */
  fail(error: Error): void {
    this.#failure ??= error;
    this.#ended = true;
    for (const pending of this.#items.splice(0)) pending.dropped(this.#failure);
    this.#wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const pending = this.#items.shift();
      if (pending) {
        pending.taken();
        yield pending.item;
      } else if (this.#ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.#wakeReader = resolve));
      }
    }
  }

  #wake(): void {
    const reader = this.#wakeReader;
    this.#wakeReader = null;
    reader?.();
  }
}
