import { deadlinePassed, timeoutToMs } from "../core/deadline.js";
import { Metadata } from "../core/metadata.js";
import { StatusCode } from "../core/status-code.js";
import type { CancelReason, PeerAuth, ServerCallTransport, ServerStatus } from "../transport/transport.js";
import { Waiters } from "../transport/waiters.js";

/**
 * Messages held in each direction before the writer is told to wait (`write()` false, then
 * `drained()`): a handler streaming to a client that does not read waits at its `yield`, and a
 * client streaming to a handler that does not read waits at its write, as over HTTP/2.
 */
export const bufferedMessages = 16;

/** What the client side of an in-memory RPC is started with. */
export interface MemoryCallOptions {
  metadata: Metadata;
  deadline: Date | null;
  peer: string;
  auth: PeerAuth;
  /** Requests longer than this end the RPC with RESOURCE_EXHAUSTED, as the server's limit over HTTP/2. */
  maxReceiveMessageLength: number;
  /** Responses longer than this end the RPC with RESOURCE_EXHAUSTED instead of being sent. */
  maxSendMessageLength: number;
  /** The client's limit on responses: a longer one ends the RPC with RESOURCE_EXHAUSTED, as the client would end it. */
  clientMaxReceiveMessageLength: number;
}

/** How an in-memory RPC ended, and whether the transport ended it (client cancel, deadline) rather than the handler. */
export interface MemoryStatus extends ServerStatus {
  byTransport: boolean;
}

/**
 * One RPC with no network under it: the ServerCallTransport the handler runner drives, and the
 * client-side controls (send requests, take responses, cancel, read the status) that the memory
 * client transport and `@tsgrpc/runtime/testing` use. Both directions are bounded buffers.
 */
export class MemoryServerCall implements ServerCallTransport {
  readonly method: string;
  readonly metadata: Metadata;
  readonly deadline: Date | null;
  readonly #options: MemoryCallOptions;
  readonly #requests: (Uint8Array | null)[] = [];
  readonly #responses: Uint8Array[] = [];
  // Who waits for what: the handler for a request, the client for a response, and each for room.
  readonly #requestReaders = new Waiters();
  readonly #responseReaders = new Waiters();
  readonly #requestRoom = new Waiters();
  readonly #responseRoom = new Waiters();
  #cancelListeners: ((reason: CancelReason) => void)[] = [];
  #deadlineTimer: NodeJS.Timeout | undefined;
  #headers: Metadata | null = null;
  #headersWaiters: ((md: Metadata) => void)[] = [];
  #status: MemoryStatus | null = null;
  #statusWaiters: ((status: MemoryStatus) => void)[] = [];

  constructor(method: string, options: MemoryCallOptions) {
    this.method = method;
    this.metadata = options.metadata;
    this.deadline = options.deadline;
    this.#options = options;
    if (this.deadline === null) return;
    // A deadline already past ends the RPC now, before any handler sees it: a timer would let a
    // fast handler answer OK first, which no network transport allows.
    if (deadlinePassed(this.deadline)) {
      this.#finish({
        code: StatusCode.DEADLINE_EXCEEDED,
        details: "Deadline Exceeded",
        trailingMetadata: new Metadata(),
        byTransport: true,
      });
      return;
    }
    this.#deadlineTimer = setTimeout(
      () => this.#endByTransport(StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded", StatusCode.DEADLINE_EXCEEDED),
      timeoutToMs((this.deadline.getTime() - Date.now()) / 1000),
    );
  }

  // ---- the server side (ServerCallTransport)

  peer(): string {
    return this.#options.peer;
  }

  auth(): PeerAuth {
    return this.#options.auth;
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const message = this.readBuffered();
      if (message !== undefined) return message;
      await this.#requestReaders.wait();
    }
  }

  readBuffered(): Uint8Array | null | undefined {
    if (this.#status !== null) return null;
    if (this.#requests.length === 0) return undefined;
    const message = this.#requests.shift() as Uint8Array | null;
    if (message !== null) this.#requestRoom.wakeAll();
    else this.#requests.push(null); // the end stays the end
    return message;
  }

  sendHeaders(metadata: Metadata): void {
    if (this.#status !== null || this.#headers !== null) return;
    this.#headers = metadata.clone();
    for (const wake of this.#headersWaiters.splice(0)) wake(this.#headers);
  }

  write(message: Uint8Array): boolean {
    if (this.#status !== null) return false;
    if (
      this.#overLimit(message, "Sent", this.#options.maxSendMessageLength) ||
      this.#overLimit(message, "Received", this.#options.clientMaxReceiveMessageLength)
    ) {
      return false;
    }
    this.sendHeaders(new Metadata());
    this.#responses.push(message);
    this.#responseReaders.wakeAll();
    return this.#responses.length < bufferedMessages;
  }

  drained(): Promise<void> {
    if (this.#status !== null || this.#responses.length < bufferedMessages) return Promise.resolve();
    return this.#responseRoom.wait();
  }

  sendStatus(status: ServerStatus): void {
    if (this.#status !== null) return;
    this.#finish({ code: status.code, details: status.details, trailingMetadata: status.trailingMetadata.clone(), byTransport: false });
  }

  onCancel(listener: (reason: CancelReason) => void): void {
    this.#cancelListeners.push(listener);
  }

  // ---- the client side

  /**
   * Queues a request for the handler; false when the buffer is full (wait for `requestsDrained()`).
   * Dropped once the RPC has ended, as on a network.
   */
  sendRequest(message: Uint8Array): boolean {
    if (this.#status !== null) return false;
    if (this.#requests.at(-1) === null) throw new Error(`${this.method}: cannot send a request after requestsClosed()`);
    if (this.#overLimit(message, "Received", this.#options.maxReceiveMessageLength)) return false;
    this.#requests.push(message);
    this.#requestReaders.wakeAll();
    return this.#requests.length < bufferedMessages;
  }

  /** Resolves when the handler has taken requests enough to make room, or the RPC has ended. */
  requestsDrained(): Promise<void> {
    if (this.#status !== null || this.#requests.length < bufferedMessages) return Promise.resolve();
    return this.#requestRoom.wait();
  }

  /** No more requests: the handler's request iterable ends. */
  closeRequests(): void {
    if (this.#status !== null || this.#requests.at(-1) === null) return;
    this.#requests.push(null);
    this.#requestReaders.wakeAll();
  }

  /** The next response, or null once the RPC has ended and every response was taken. */
  async takeResponse(): Promise<Uint8Array | null> {
    for (;;) {
      const next = this.#responses.shift();
      if (next !== undefined) {
        if (this.#responses.length < bufferedMessages) this.#responseRoom.wakeAll();
        return next;
      }
      if (this.#status !== null) return null;
      await this.#responseReaders.wait();
    }
  }

  /** The response headers: resolves when the handler sends them, or with its first message or status. */
  headers(): Promise<Metadata> {
    if (this.#headers !== null) return Promise.resolve(this.#headers);
    return new Promise((resolve) => this.#headersWaiters.push(resolve));
  }

  /** The final status, however the RPC ended. */
  status(): Promise<MemoryStatus> {
    if (this.#status !== null) return Promise.resolve(this.#status);
    return new Promise((resolve) => this.#statusWaiters.push(resolve));
  }

  /** True once the RPC has a status. */
  get ended(): boolean {
    return this.#status !== null;
  }

  /** True once the transport ended the RPC (a cancel, the deadline, a limit) rather than the handler. */
  get endedByTransport(): boolean {
    return this.#status?.byTransport === true;
  }

  /** Cancels the RPC as a client (or a dropped connection) would. */
  cancel(details = "Cancelled"): void {
    this.#endByTransport(StatusCode.CANCELLED, details, StatusCode.CANCELLED);
  }

  /** Ends the RPC with a status of the transport's own making (a limit); the handler sees a cancellation. */
  fail(code: StatusCode, details: string): void {
    this.#endByTransport(code, details, StatusCode.CANCELLED);
  }

  /** Ends the RPC with RESOURCE_EXHAUSTED if `message` is over `limit`, worded as grpc words it. */
  #overLimit(message: Uint8Array, side: "Sent" | "Received", limit: number): boolean {
    if (message.byteLength <= limit) return false;
    this.fail(StatusCode.RESOURCE_EXHAUSTED, `${side} message larger than max (${message.byteLength} vs. ${limit})`);
    return true;
  }

  #endByTransport(code: StatusCode, details: string, reason: CancelReason): void {
    if (this.#status !== null) return;
    this.#finish({ code, details, trailingMetadata: new Metadata(), byTransport: true });
    for (const listener of this.#cancelListeners.splice(0)) listener(reason);
  }

  #finish(status: MemoryStatus): void {
    // Headers not sent by now go out (empty) with the status.
    this.sendHeaders(new Metadata());
    this.#status = status;
    clearTimeout(this.#deadlineTimer);
    this.#requestReaders.wakeAll();
    this.#responseReaders.wakeAll();
    this.#requestRoom.wakeAll();
    this.#responseRoom.wakeAll();
    for (const wake of this.#statusWaiters.splice(0)) wake(status);
  }
}
