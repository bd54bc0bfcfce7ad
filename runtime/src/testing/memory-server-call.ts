import { timeoutToMs } from "../core/deadline.js";
import { Metadata } from "../core/metadata.js";
import { StatusCode } from "../core/status-code.js";
import type { CancelReason, PeerAuth, ServerCallTransport, ServerStatus } from "../transport/transport.js";

/** How many responses the in-memory transport holds before a handler's `yield` waits for the test to take one. */
const bufferedResponses = 16;

/** What the test side of an in-memory RPC is started with. */
export interface MemoryCallOptions {
  metadata: Metadata;
  deadline: Date | null;
  peer: string;
  auth: PeerAuth;
}

/**
 * One RPC with no network under it: the ServerCallTransport the handler runner drives, and the
 * test-side controls (send requests, take responses, cancel, read the status). Responses are held
 * in a small buffer, so a handler streaming to a test that does not take them waits at its `yield`,
 * as it would for a slow client.
 */
export class MemoryServerCall implements ServerCallTransport {
  readonly method: string;
  readonly metadata: Metadata;
  readonly deadline: Date | null;
  readonly #peer: string;
  readonly #auth: PeerAuth;
  readonly #requests: (Uint8Array | null)[] = [];
  #requestWaiter: (() => void) | null = null;
  readonly #responses: Uint8Array[] = [];
  #responseWaiter: (() => void) | null = null;
  #drainWaiters: (() => void)[] = [];
  #cancelListeners: ((reason: CancelReason) => void)[] = [];
  #deadlineTimer: NodeJS.Timeout | undefined;
  #headers: Metadata | null = null;
  #headersWaiters: ((md: Metadata) => void)[] = [];
  #status: ServerStatus | null = null;
  #statusWaiters: ((status: ServerStatus) => void)[] = [];

  constructor(method: string, options: MemoryCallOptions) {
    this.method = method;
    this.metadata = options.metadata;
    this.deadline = options.deadline;
    this.#peer = options.peer;
    this.#auth = options.auth;
    if (this.deadline !== null) {
      const delayMs = timeoutToMs((this.deadline.getTime() - Date.now()) / 1000);
      this.#deadlineTimer = setTimeout(() => this.#end(StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded"), delayMs);
    }
  }

  // ---- the server side (ServerCallTransport)

  peer(): string {
    return this.#peer;
  }

  auth(): PeerAuth {
    return this.#auth;
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#status !== null) return null;
      if (this.#requests.length > 0) return this.#requests.shift() ?? null;
      await new Promise<void>((resolve) => (this.#requestWaiter = resolve));
    }
  }

  sendHeaders(metadata: Metadata): void {
    if (this.#status !== null || this.#headers !== null) return;
    this.#headers = metadata.clone();
    for (const wake of this.#headersWaiters.splice(0)) wake(this.#headers);
  }

  write(message: Uint8Array): boolean {
    if (this.#status !== null) return false;
    this.sendHeaders(new Metadata());
    this.#responses.push(message);
    this.#wake("response");
    return this.#responses.length < bufferedResponses;
  }

  drained(): Promise<void> {
    if (this.#status !== null || this.#responses.length < bufferedResponses) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  sendStatus(status: ServerStatus): void {
    if (this.#status !== null) return;
    this.sendHeaders(new Metadata());
    this.#finish({ code: status.code, details: status.details, trailers: status.trailers.clone() });
  }

  onCancel(listener: (reason: CancelReason) => void): void {
    this.#cancelListeners.push(listener);
  }

  // ---- the test side

  /** Queues a request message for the handler; dropped if the RPC has ended, as on a network. */
  sendRequest(message: Uint8Array): void {
    if (this.#status !== null) return;
    if (this.#requests.at(-1) === null) throw new Error(`${this.method}: cannot send a request after requestsClosed()`);
    this.#requests.push(message);
    this.#wake("request");
  }

  /** No more requests: the handler's request iterable ends. */
  closeRequests(): void {
    if (this.#requests.at(-1) === null) return;
    this.#requests.push(null);
    this.#wake("request");
  }

  /** The next response, or null once the RPC has ended and every response was taken. */
  async takeResponse(): Promise<Uint8Array | null> {
    for (;;) {
      const next = this.#responses.shift();
      if (next !== undefined) {
        if (this.#responses.length < bufferedResponses) for (const wake of this.#drainWaiters.splice(0)) wake();
        return next;
      }
      if (this.#status !== null) return null;
      await new Promise<void>((resolve) => (this.#responseWaiter = resolve));
    }
  }

  /** The response headers: resolves when the handler sends them, or with its first message or status. */
  headers(): Promise<Metadata> {
    if (this.#headers !== null) return Promise.resolve(this.#headers);
    return new Promise((resolve) => this.#headersWaiters.push(resolve));
  }

  /** The final status, however the RPC ended. */
  status(): Promise<ServerStatus> {
    if (this.#status !== null) return Promise.resolve(this.#status);
    return new Promise((resolve) => this.#statusWaiters.push(resolve));
  }

  /** True once the RPC has a status. */
  get ended(): boolean {
    return this.#status !== null;
  }

  /** Cancels the RPC as a client (or a dropped connection) would. */
  cancel(): void {
    this.#end(StatusCode.CANCELLED, "Cancelled");
  }

  #end(reason: CancelReason, details: string): void {
    if (this.#status !== null) return;
    this.#finish({ code: reason, details, trailers: new Metadata() });
    for (const listener of this.#cancelListeners.splice(0)) listener(reason);
  }

  #finish(status: ServerStatus): void {
    // Headers not sent by now go out (empty) with the status.
    this.sendHeaders(new Metadata());
    this.#status = status;
    clearTimeout(this.#deadlineTimer);
    this.#wake("request");
    this.#wake("response");
    for (const wake of this.#drainWaiters.splice(0)) wake();
    for (const wake of this.#statusWaiters.splice(0)) wake(status);
  }

  #wake(which: "request" | "response"): void {
    const waiter = which === "request" ? this.#requestWaiter : this.#responseWaiter;
    if (which === "request") this.#requestWaiter = null;
    else this.#responseWaiter = null;
    waiter?.();
  }
}
