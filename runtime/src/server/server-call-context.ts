import type { Compression } from "../core/compression.js";
import { secondsUntil, timeoutToMs } from "../core/deadline.js";
import { DoneCallbacks } from "../core/future.js";
import { assertSendable, Metadata, type MetadataInit, toMetadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext, Status } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { warnOnce } from "../core/warn-once.js";
import type { WriteOptions } from "../core/write-options.js";
import {
  type CancelReason,
  noTrailingMetadata,
  type ServerCallTransport,
  type ServerTransportCapabilities,
} from "../transport/transport.js";

const noCompress: WriteOptions = { noCompress: true };

/** The ServicerContext of one RPC, over its transport. The handler runner drives its ending. */
export class ServerCallContext implements ServicerContext {
  readonly #transport: ServerCallTransport;
  readonly #capabilities: ServerTransportCapabilities;
  // Made on first use: most handlers never look at the signal, and an AbortController costs ~10 µs.
  #controller: AbortController | null = null;
  #cancellation: RpcError | null = null;
  #code: StatusCode | null = null;
  #details: string | null = null;
  // Made on first use: most RPCs set none.
  #trailers: Metadata | null = null;
  #headersSent = false;
  #noCompressNext = false;
  #aborted = false;
  // Run when the RPC ends; their `done` is whether it has.
  readonly #callbacks = new DoneCallbacks();
  // The server's set of RPCs in progress, which this one leaves when it ends.
  #activeIn: Set<ServerCallContext> | null = null;
  #deadline: Date | null;

  constructor(transport: ServerCallTransport, capabilities: ServerTransportCapabilities) {
    this.#transport = transport;
    this.#capabilities = capabilities;
    this.#deadline = transport.deadline;
    transport.onCancel((reason) => this.#cancelled(reason));
  }

  /** Aborts when the RPC is cancelled or its deadline passes; the reason is an RpcError. */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#cancellation !== null) this.#controller.abort(this.#cancellation);
    }
    return this.#controller.signal;
  }

  /** The method path, `/package.Service/Method`. */
  get method(): string {
    return this.#transport.method;
  }

  /** The deadline the client set, or the server's handler time budget if that ends first; null if neither. */
  get deadline(): Date | null {
    return this.#deadline;
  }

  invocationMetadata(): Metadata {
    return this.#transport.metadata;
  }

  peer(): string {
    return this.#transport.peer();
  }

  peerIdentities(): Uint8Array[] | null {
    const { identityKey, properties } = this.#transport.auth();
    return identityKey === null ? null : (properties[identityKey] ?? null);
  }

  peerIdentityKey(): string | null {
    return this.#transport.auth().identityKey;
  }

  authContext(): Record<string, Uint8Array[]> {
    return this.#transport.auth().properties;
  }

  sendInitialMetadata(metadata: MetadataInit): void {
    if (this.#headersSent) {
      throw new Error(
        `Initial metadata no longer allowed! (${this.method}: sendInitialMetadata may be called once, before the first response message)`,
      );
    }
    if (!this.isActive()) throw new RpcError(StatusCode.CANCELLED, "The RPC has already ended");
    const md = toMetadata(metadata);
    assertSendable(md, "response headers");
    this.#headersSent = true;
    this.#transport.sendHeaders(md);
  }

  setTrailingMetadata(metadata: MetadataInit): void {
    const md = toMetadata(metadata).clone();
    assertSendable(md, "trailers");
    this.#trailers = md;
  }

  trailingMetadata(): Metadata {
    this.#trailers ??= new Metadata();
    return this.#trailers;
  }

  abort(code: StatusCode, details: string): never {
    // grpcio turns abort(OK) into UNKNOWN: an abort must not look like success.
    const final = code === StatusCode.OK ? StatusCode.UNKNOWN : code;
    const text = code === StatusCode.OK ? "" : details;
    this.#aborted = true;
    // Sent now, as grpcio does: what the handler yields or returns after this is dropped.
    this.finish(final, text);
    throw new RpcError(final, text, { method: this.method, trailingMetadata: this.trailingMetadata() });
  }

  abortWithStatus(status: Status): never {
    if (status.trailingMetadata !== undefined) this.setTrailingMetadata(status.trailingMetadata);
    return this.abort(status.code, status.details);
  }

  setCode(code: StatusCode): void {
    this.#code = code;
  }

  setDetails(details: string): void {
    this.#details = details;
  }

  code(): StatusCode | null {
    return this.#code;
  }

  details(): string | null {
    return this.#details;
  }

  setCompression(compression: Compression): void {
    if (!this.#capabilities.responseCompression) warnCompressionIgnored(this.#capabilities);
    else if (!this.#headersSent) this.#transport.setCompression?.(compression);
  }

  disableNextMessageCompression(): void {
    if (!this.#capabilities.responseCompression) warnCompressionIgnored(this.#capabilities);
    else this.#noCompressNext = true;
  }

  requestCompressed(): boolean | null {
    return this.#transport.lastReadCompressed?.() ?? null;
  }

  /** The options of the next response message's write: uncompressed once after `disableNextMessageCompression()`. */
  nextWriteOptions(): WriteOptions | undefined {
    if (!this.#noCompressNext) return undefined;
    this.#noCompressNext = false;
    return noCompress;
  }

  isActive(): boolean {
    return !this.#callbacks.done;
  }

  timeRemaining(): number | null {
    return secondsUntil(this.#deadline);
  }

  cancel(): void {
    if (this.#callbacks.done) return;
    this.#transport.sendStatus({
      code: StatusCode.CANCELLED,
      details: "Cancelled by the server",
      trailingMetadata: this.#trailers ?? noTrailingMetadata,
    });
    this.#cancelled(StatusCode.CANCELLED);
  }

  /**
   * Gives the RPC at most `timeout` seconds (the server's `handlerTimeBudget`): then it ends with
   * DEADLINE_EXCEEDED and `signal` aborts, as if the client had set that deadline. A client
   * deadline that comes first still wins.
   */
  limitTime(timeout: number): void {
    const budgetEndsAtMs = Date.now() + timeout * 1000;
    if (this.#callbacks.done || (this.#deadline !== null && this.#deadline.getTime() <= budgetEndsAtMs)) return;
    this.#deadline = new Date(budgetEndsAtMs);
    const timer = setTimeout(() => {
      this.#transport.sendStatus({
        code: StatusCode.DEADLINE_EXCEEDED,
        details: "Deadline Exceeded",
        trailingMetadata: this.#trailers ?? noTrailingMetadata,
      });
      this.#cancelled(StatusCode.DEADLINE_EXCEEDED);
    }, timeoutToMs(timeout));
    this.addCallback(() => clearTimeout(timer));
  }

  addCallback(callback: () => void): boolean {
    return this.#callbacks.addIfPending(callback);
  }

  /** Adds this RPC to `active` until it ends (the server's RPCs in progress, which a stop cancels). */
  trackIn(active: Set<ServerCallContext>): void {
    if (this.#callbacks.done) return;
    this.#activeIn = active;
    active.add(this);
  }

  /** True once `abort` was called: its status wins over whatever the handler does next. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Headers have been sent (explicitly, or with the first message). */
  markHeadersSent(): void {
    this.#headersSent = true;
  }

  /** Ends the RPC with its final status; the code and details become what code()/details() return. */
  finish(code: StatusCode, details: string): void {
    if (this.#callbacks.done) return;
    this.#code = code;
    this.#details = details;
    this.#transport.sendStatus({ code, details, trailingMetadata: this.#trailers ?? noTrailingMetadata });
    this.#end();
  }

  #cancelled(reason: CancelReason): void {
    if (this.#callbacks.done) return;
    this.#code = reason;
    this.#details = reason === StatusCode.DEADLINE_EXCEEDED ? "Deadline Exceeded" : "Cancelled";
    this.#cancellation = new RpcError(reason, this.#details, { method: this.method });
    this.#controller?.abort(this.#cancellation);
    this.#end();
  }

  #end(): void {
    this.#activeIn?.delete(this);
    this.#callbacks.run();
  }
}

/** Warns, once per process and transport, that server-side compression settings are not honoured there. */
export function warnCompressionIgnored(capabilities: ServerTransportCapabilities): void {
  warnOnce(
    `tsgrpc: server-side compression is not honoured on the ${capabilities.name} transport (responses are sent uncompressed); see docs/transports.md`,
  );
}
