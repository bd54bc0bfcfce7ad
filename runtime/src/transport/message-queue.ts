/**
 * Messages received and not yet taken, first in first out, with their bytes counted: what a
 * transport holds ahead of its reader, and the measure of its read-ahead bound.
 */
export class MessageQueue<M extends Uint8Array = Uint8Array> {
  #items: M[] = [];
  // Taken from the front by moving this index: the array is emptied in place once all are taken.
  #head = 0;
  #bytes = 0;
  #lastBytes = 0;

  /** Messages held. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Bytes of the messages held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes of the last message added (held or not). */
  get lastBytes(): number {
    return this.#lastBytes;
  }

  push(message: M): void {
    this.#items.push(message);
    this.#bytes += message.byteLength;
    this.#lastBytes = message.byteLength;
  }

  /** The oldest message, taken out; undefined when none is held. */
  shift(): M | undefined {
    if (this.#head === this.#items.length) return undefined;
    const message = this.#items[this.#head++] as M;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    }
    this.#bytes -= message.byteLength;
    return message;
  }

  /** Whether it holds `maxBytes` or `maxMessages`, or more. */
  full(maxBytes: number, maxMessages: number): boolean {
    return this.#bytes >= maxBytes || this.length >= maxMessages;
  }

  /** Drops every message held. */
  clear(): void {
    this.#items.length = 0;
    this.#head = 0;
    this.#bytes = 0;
  }
}
