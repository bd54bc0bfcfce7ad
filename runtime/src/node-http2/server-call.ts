import type { OutgoingHttpHeaders, ServerHttp2Stream } from "node:http2";
import type { Compression } from "../core/compression.js";
import { timeoutToMs } from "../core/deadline.js";
import type { Metadata } from "../core/metadata.js";
import { StatusCode } from "../core/status-code.js";
import type { WriteOptions } from "../core/write-options.js";
import { IncomingMessages, type IncomingMessagesSink } from "../protocol/incoming-messages.js";
import { acceptEncodingHeader, acceptsEncoding, type MessageEncoding, messageEncodingOf } from "../protocol/message-compression.js";
import { metadataFromRawHeaders, metadataToHeaders } from "../protocol/metadata-headers.js";
import { OutgoingMessages, type OutgoingMessagesSink } from "../protocol/outgoing-messages.js";
import { encodeGrpcMessage } from "../protocol/status-message.js";
import { cancelReason } from "../transport/cancel-reason.js";
import { MessageQueue } from "../transport/message-queue.js";
import {
  type CancelReason,
  noTrailingMetadata,
  type PeerAuth,
  type ServerCallTransport,
  type ServerStatus,
} from "../transport/transport.js";
import { Waiters } from "../transport/waiters.js";
import type { SessionKeeper } from "./session-keeper.js";

/**
 * Requests read ahead of the handler once it has started reading: small messages up to 64 KiB
 * (a client stream of small messages keeps flowing), never a message of 64 KiB or more before the
 * handler asks for it. Otherwise the stream is paused, and HTTP/2 flow control holds the client
 * to one stream window.
 */
const readAheadBytes = 64 * 1024;
const readAheadMessages = 64;

/** What every response and trailers-only response starts with. */
export const responseHeaders = {
  ":status": 200,
  "content-type": "application/grpc",
  "grpc-accept-encoding": acceptEncodingHeader,
} as const;

/** The trailers of most RPCs: OK, without details or metadata (Node copies trailers before sending them). */
const okTrailers: OutgoingHttpHeaders = Object.freeze({ "grpc-status": "0" });

/** The headers that end an RPC with `status`, in trailers or in a trailers-only response. */
export function statusHeaders(status: ServerStatus, into: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  into["grpc-status"] = String(status.code);
  if (status.details !== "") into["grpc-message"] = encodeGrpcMessage(status.details);
  if (status.trailingMetadata.size > 0) metadataToHeaders(status.trailingMetadata, into as Record<string, string>);
  return into;
}

/** The connection an RPC arrived on, as grpcio describes its peer. */
export interface SessionPeer {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  /** `ipv4:127.0.0.1:45902`. */
  readonly peer: string;
  readonly auth: PeerAuth;
  /** The connection's lifetime rules, told of each stream. */
  readonly keeper: SessionKeeper;
}

/** What the transport learned of an RPC from its connection and headers. */
export interface CallStart {
  method: string;
  from: SessionPeer;
  rawHeaders: string[];
  deadline: Date | null;
  /** The `grpc-encoding` of the request's compressed messages; null for none (identity). */
  encoding: MessageEncoding | null;
  /** The client's `grpc-accept-encoding`: what responses may be compressed with. */
  acceptEncoding: string | undefined;
  maxReceiveMessageLength: number;
  maxSendMessageLength: number;
}

/**
 * One RPC on a node:http2 stream. Requests are read from the stream only when the handler asks
 * (then a bounded read-ahead); responses go out as Node's stream lets them (`write()` is false
 * when it is; `drained()` waits for 'drain'); the status goes in trailers, or alone as a
 * trailers-only response when nothing was sent before it.
 */
export class NodeHttp2ServerCall implements ServerCallTransport {
  readonly method: string;
  readonly deadline: Date | null;
  readonly #stream: ServerHttp2Stream;
  readonly #rawHeaders: string[];
  readonly #maxSendMessageLength: number;
  readonly #acceptEncoding: string | undefined;
  readonly #from: SessionPeer;
  #metadata: Metadata | null = null;
  // Reading.
  readonly #incoming: IncomingMessages<NodeHttp2ServerCall>;
  readonly #received = new MessageQueue();
  // Whether each received message arrived compressed, in the same order; kept only on a call with a grpc-encoding.
  #receivedCompressed: boolean[] | null = null;
  #lastReadCompressed = false;
  #inputEnded = false;
  #reading = false;
  #readPending = false;
  #halfClosed = false;
  // Made on first wait, as are the writers: a unary RPC has its request by the time it asks.
  #readers: Waiters | null = null;
  // Writing.
  #headersSent = false;
  // Responses framed and compressed in order: later writes and the status go out after any being compressed.
  readonly #outgoing: OutgoingMessages<NodeHttp2ServerCall>;
  #trailers: OutgoingHttpHeaders | null = null;
  #writers: Waiters | null = null;
  #drainListening = false;
  #ended = false;
  #deadlineTimer: NodeJS.Timeout | undefined;
  #cancelListener: ((reason: CancelReason) => void) | null = null;

  constructor(stream: ServerHttp2Stream, start: CallStart) {
    this.#stream = stream;
    this.method = start.method;
    this.deadline = start.deadline;
    this.#rawHeaders = start.rawHeaders;
    this.#acceptEncoding = start.acceptEncoding;
    this.#from = start.from;
    this.#maxSendMessageLength = start.maxSendMessageLength;
    this.#incoming = new IncomingMessages(start.maxReceiveMessageLength, NodeHttp2ServerCall.#sink, this);
    this.#outgoing = new OutgoingMessages(NodeHttp2ServerCall.#outgoingSink, this);
    this.#incoming.encoding = start.encoding;
    // The stream's listeners are shared by every call (no closures per RPC): they find it here.
    (stream as CallStream)[callOf] = this;
    stream.on("close", NodeHttp2ServerCall.#onClose);
    if (start.deadline !== null) {
      this.#deadlineTimer = setTimeout(() => this.#expire(), timeoutToMs((start.deadline.getTime() - Date.now()) / 1000));
    }
  }

  // Converted on first use: most handlers never look at their metadata.
  get metadata(): Metadata {
    this.#metadata ??= metadataFromRawHeaders(this.#rawHeaders);
    return this.#metadata;
  }

  peer(): string {
    return this.#from.peer;
  }

  auth(): PeerAuth {
    return this.#from.auth;
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const message = this.readBuffered();
      if (message !== undefined) return message;
      await (this.#readers ??= new Waiters()).wait();
    }
  }

  readBuffered(): Uint8Array | null | undefined {
    const message = this.#received.shift();
    if (message !== undefined) {
      if (this.#incoming.encoding !== null) this.#lastReadCompressed = this.#receivedCompressed?.shift() === true;
      this.#readPending = false;
      this.#flow();
      return message;
    }
    if (this.#halfClosed || this.#ended) return null;
    this.#readPending = true;
    this.#flow();
    return undefined;
  }

  sendHeaders(metadata: Metadata): void {
    if (this.#ended || this.#headersSent || this.#gone()) return;
    this.#respond(metadata.size === 0 ? responseHeaders : metadataToHeaders(metadata, { ...responseHeaders }));
  }

  write(message: Uint8Array, options?: WriteOptions): boolean {
    if (this.#ended || this.#gone()) return false;
    if (message.byteLength > this.#maxSendMessageLength) {
      this.#fail(StatusCode.RESOURCE_EXHAUSTED, `Sent message larger than max (${message.byteLength} vs. ${this.#maxSendMessageLength})`);
      return false;
    }
    if (!this.#headersSent) this.#respond(responseHeaders);
    return this.#outgoing.write(message, options?.noCompress);
  }

  // Where the responses go, framed and compressed, in order.
  static readonly #outgoingSink: OutgoingMessagesSink<NodeHttp2ServerCall> = {
    send: (call, framed) => !call.#stream.destroyed && call.#stream.write(framed),
    failed: (call, error) => call.#fail(StatusCode.INTERNAL, `Failed to compress a response: ${String(error)}`),
    caughtUp: (call) => call.#writers?.wakeAll(),
  };

  drained(): Promise<void> {
    const compressing = this.#outgoing.pending;
    if (compressing !== null && !this.#ended) return compressing.then(() => this.drained());
    if (this.#ended || !this.#stream.writableNeedDrain) return Promise.resolve();
    if (!this.#drainListening) {
      this.#drainListening = true;
      this.#stream.on("drain", () => this.#writers?.wakeAll());
    }
    return (this.#writers ??= new Waiters()).wait();
  }

  sendStatus(status: ServerStatus): void {
    if (this.#ended) return;
    this.#end();
    // Responses still being compressed go out first.
    const compressing = this.#outgoing.pending;
    if (compressing !== null) void compressing.then(() => this.#sendStatusNow(status));
    else this.#sendStatusNow(status);
  }

  setCompression(compression: Compression): void {
    if (this.#headersSent) return;
    const encoding = messageEncodingOf(compression);
    // Never with an algorithm the client cannot read: identity then.
    this.#outgoing.encoding = encoding !== null && acceptsEncoding(this.#acceptEncoding, encoding) ? encoding : null;
  }

  lastReadCompressed(): boolean {
    return this.#lastReadCompressed;
  }

  #sendStatusNow(status: ServerStatus): void {
    const stream = this.#stream;
    if (stream.destroyed) return;
    if (!this.#headersSent) {
      this.#headersSent = true;
      stream.respond(statusHeaders(status, { ...responseHeaders }), { endStream: true });
    } else {
      const ok = status.code === StatusCode.OK && status.details === "" && status.trailingMetadata.size === 0;
      this.#trailers = ok ? okTrailers : statusHeaders(status);
      stream.end();
    }
    // Requests still coming are no one's now: let them through (HTTP/2 then ends the stream once
    // the client has sent its end) rather than hold the client at a full window.
    if (!stream.readableEnded) {
      stream.on("data", discard);
      stream.resume();
    }
  }

  onCancel(listener: (reason: CancelReason) => void): void {
    this.#cancelListener = listener;
  }

  /**
   * Whether the stream is gone (the client reset it, or the connection closed): Node destroys it at
   * once and emits 'close', the cancellation, a tick later; the RPC is cancelled now instead, so
   * that no write meanwhile waits on a stream that cannot drain.
   */
  #gone(): boolean {
    if (!this.#stream.destroyed) return false;
    this.#cancel(cancelReason(this.deadline));
    return true;
  }

  #respond(headers: OutgoingHttpHeaders): void {
    this.#headersSent = true;
    if (this.#outgoing.encoding !== null) headers = { ...headers, "grpc-encoding": this.#outgoing.encoding };
    this.#stream.on("wantTrailers", NodeHttp2ServerCall.#onWantTrailers);
    this.#stream.respond(headers, respondOptions);
  }

  /** Reads from the stream while a read is pending or the read-ahead bounds allow; pauses otherwise. */
  #flow(): void {
    if (this.#halfClosed || this.#ended) return;
    const want =
      !this.#incoming.inflating &&
      (this.#readPending ||
        (!this.#received.full(readAheadBytes, readAheadMessages) &&
          this.#received.lastBytes < readAheadBytes &&
          this.#incoming.pendingLength < readAheadBytes));
    if (want && !this.#reading) {
      this.#reading = true;
      if (this.#stream.listenerCount("data") === 0) {
        this.#stream.on("data", NodeHttp2ServerCall.#onStreamData);
        this.#stream.on("end", NodeHttp2ServerCall.#onStreamEnd);
      }
      this.#stream.resume();
    } else if (!want && this.#reading) {
      this.#reading = false;
      this.#stream.pause();
    }
  }

  // Listeners: their `this` is the stream they listen on.
  static readonly #onStreamData = function (this: ServerHttp2Stream, chunk: Buffer): void {
    (this as CallStream)[callOf].#onData(chunk);
  };

  static readonly #onStreamEnd = function (this: ServerHttp2Stream): void {
    (this as CallStream)[callOf].#onEnd();
  };

  static readonly #onWantTrailers = function (this: ServerHttp2Stream): void {
    this.sendTrailers((this as CallStream)[callOf].#trailers ?? {});
  };

  static readonly #onClose = function (this: ServerHttp2Stream): void {
    const call = (this as CallStream)[callOf];
    call.#from.keeper.streamClosed();
    call.#cancel(cancelReason(call.deadline));
  };

  #onData(chunk: Buffer): void {
    if (this.#ended) return;
    this.#incoming.push(chunk);
  }

  // Where the messages go, as they are cut and inflated, in order.
  static readonly #sink: IncomingMessagesSink<NodeHttp2ServerCall> = {
    message: (call, data, compressed) => call.#accept(data, compressed),
    failed: (call, error) => call.#fail(error.code, error.details),
    taken: (call) => {
      call.#readers?.wakeAll();
      call.#flow();
      // The end waited for a message being inflated.
      if (call.#inputEnded && !call.#halfClosed) call.#onEnd();
    },
  };

  #accept(message: Uint8Array, compressed: boolean): void {
    this.#received.push(message);
    if (this.#incoming.encoding !== null) (this.#receivedCompressed ??= []).push(compressed);
    this.#readPending = false;
  }

  #onEnd(): void {
    if (this.#ended) return;
    this.#inputEnded = true;
    // The messages before the end are still being inflated: the end comes after them.
    if (this.#incoming.inflating) return;
    const error = this.#incoming.end();
    if (error !== null) {
      this.#fail(error.code, error.details);
      return;
    }
    this.#halfClosed = true;
    this.#readers?.wakeAll();
  }

  /** Ends the RPC with a status of the transport's own making; the handler learns of it as a cancellation. */
  #fail(code: StatusCode, details: string): void {
    const listener = this.#cancelListener;
    this.sendStatus({ code, details, trailingMetadata: noTrailingMetadata });
    listener?.(StatusCode.CANCELLED);
  }

  #expire(): void {
    if (this.#ended) return;
    const listener = this.#cancelListener;
    this.sendStatus({ code: StatusCode.DEADLINE_EXCEEDED, details: "Deadline Exceeded", trailingMetadata: noTrailingMetadata });
    listener?.(StatusCode.DEADLINE_EXCEEDED);
  }

  /** The client reset the stream or the connection closed before a status was sent. */
  #cancel(reason: CancelReason): void {
    if (this.#ended) return;
    this.#end();
    this.#cancelListener?.(reason);
  }

  #end(): void {
    this.#ended = true;
    this.#incoming.stop();
    clearTimeout(this.#deadlineTimer);
    this.#received.clear();
    this.#receivedCompressed = null;
    this.#readers?.wakeAll();
    this.#writers?.wakeAll();
  }
}

const discard = (): void => {};

/** Where a stream's shared listeners find their call. */
const callOf = Symbol("NodeHttp2ServerCall");

type CallStream = ServerHttp2Stream & { [callOf]: NodeHttp2ServerCall };

const respondOptions = { waitForTrailers: true } as const;
