import { type ClientHttp2Stream, constants, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http2";
import { deadlinePassed, deadlineSlackMs, timeoutToMs } from "../core/deadline.js";
import { Metadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { WriteOptions } from "../core/write-options.js";
import { encodeGrpcTimeout } from "../protocol/grpc-timeout.js";
import { httpStatusCode } from "../protocol/http-status.js";
import { IncomingMessages, type IncomingMessagesSink } from "../protocol/incoming-messages.js";
import { acceptEncodingHeader, messageEncodingOf, parseMessageEncoding } from "../protocol/message-compression.js";
import { metadataFromRawHeaders, metadataToHeaders } from "../protocol/metadata-headers.js";
import { OutgoingMessages, type OutgoingMessagesSink } from "../protocol/outgoing-messages.js";
import { decodeGrpcMessage, parseGrpcStatus } from "../protocol/status-message.js";
import { authMetadata } from "../transport/client-credentials.js";
import { MessageQueue } from "../transport/message-queue.js";
import { noTrailingMetadata, type StartCallOptions, type TransportCall, type TransportStatus } from "../transport/transport.js";
import { Waiters } from "../transport/waiters.js";
import type { ClientConnection, ConnectionBroker } from "./client-connection.js";

/**
 * Responses read ahead of the caller: under 64 KiB (or 64 messages) plus the message that crosses
 * it, the bounds the grpc-js transport keeps. Past them the stream is paused, and HTTP/2 flow
 * control holds the server to one stream window.
 */
const readAheadBytes = 64 * 1024;
const readAheadMessages = 64;

/** Requests kept for a transparent retry of a refused stream; a call that sent more is not retried. */
const replayBytes = 256 * 1024;

/** RST_STREAM codes as grpc's transports map them to a status; any other is INTERNAL. */
const resetCodes: Record<number, StatusCode> = {
  [constants.NGHTTP2_REFUSED_STREAM]: StatusCode.UNAVAILABLE,
  [constants.NGHTTP2_CANCEL]: StatusCode.CANCELLED,
  [constants.NGHTTP2_ENHANCE_YOUR_CALM]: StatusCode.RESOURCE_EXHAUSTED,
  [constants.NGHTTP2_INADEQUATE_SECURITY]: StatusCode.PERMISSION_DENIED,
};

/**
 * One client RPC on a node:http2 stream, as PROTOCOL-HTTP2.md describes it: the request headers,
 * length-prefixed messages both ways (compressed per call and per message), and the status from
 * the trailers or a trailers-only response, or else from the HTTP status or the stream's reset.
 * Responses are pulled with a bounded read-ahead; requests follow the stream's backpressure.
 */
export class NodeHttp2ClientCall implements TransportCall {
  readonly headers: Promise<Metadata>;
  readonly status: Promise<TransportStatus>;
  readonly waitForReady: boolean;
  readonly #transport: ConnectionBroker<NodeHttp2ClientCall>;
  readonly #path: string;
  readonly #options: StartCallOptions;
  readonly #deadline: Date | null;
  #resolveHeaders!: (metadata: Metadata) => void;
  #resolveStatus!: (status: TransportStatus) => void;
  #connection: ClientConnection | null = null;
  #stream: ClientHttp2Stream | null = null;
  #deadlineTimer: NodeJS.Timeout | undefined;
  #ended = false;
  // Ended by this side (cancel, deadline): what was read ahead is dropped.
  #endedLocally = false;
  // A stream refused by GOAWAY or REFUSED_STREAM before the server saw it is started again, once.
  #retried = false;
  // Writing: requests framed before the stream exists wait here, in order.
  #unsent: Uint8Array[] | null = [];
  // What was sent on the stream before the response began, kept (up to replayBytes) for that retry.
  #replay: Uint8Array[] | null = [];
  #replayBytes = 0;
  #halfClosed = false;
  readonly #outgoing: OutgoingMessages<NodeHttp2ClientCall>;
  readonly #writers = new Waiters();
  // Reading.
  #incoming: IncomingMessages<NodeHttp2ClientCall>;
  readonly #received = new MessageQueue();
  readonly #readers = new Waiters();
  #readPending = false;
  #reading = false;
  #gotHeaders = false;
  #httpStatus = 0;
  #contentType: string | undefined;
  #trailerStatus: Omit<TransportStatus, "debug"> | null = null;
  #inputEnded = false;

  constructor(transport: ConnectionBroker<NodeHttp2ClientCall>, path: string, options: StartCallOptions, request: Uint8Array | null) {
    this.#transport = transport;
    this.#path = path;
    this.#options = options;
    this.#deadline = options.deadline;
    this.waitForReady = options.waitForReady;
    this.#outgoing = new OutgoingMessages(NodeHttp2ClientCall.#outgoingSink, this);
    this.#outgoing.encoding = options.compression === null ? null : messageEncodingOf(options.compression);
    this.#incoming = new IncomingMessages(transport.callSettings.maxReceiveMessageLength, NodeHttp2ClientCall.#sink, this);
    this.headers = new Promise((resolve) => (this.#resolveHeaders = resolve));
    this.status = new Promise((resolve) => (this.#resolveStatus = resolve));
    // A deadline already past fails at once, without a request.
    if (deadlinePassed(this.#deadline)) {
      this.#expire();
      return;
    }
    if (this.#deadline !== null) {
      this.#deadlineTimer = setTimeout(() => this.#expire(), timeoutToMs((this.#deadline.getTime() - Date.now()) / 1000));
    }
    if (request !== null) {
      if (!this.write(request) && this.#ended) return;
      this.halfClose();
    }
    if (options.credentials !== null || transport.callSettings.channelCallCredentials !== null) void this.#authorizeThenPick();
    else transport.pick(this);
  }

  /** The transport has a connection for this call: its stream starts now. */
  open(connection: ClientConnection): void {
    if (this.#ended) return;
    const settings = this.#transport.callSettings;
    const headers: OutgoingHttpHeaders = {
      ":method": "POST",
      ":scheme": settings.scheme,
      ":path": this.#path,
      ":authority": settings.authority,
      te: "trailers",
      "content-type": "application/grpc",
      "user-agent": settings.userAgent,
      "grpc-accept-encoding": acceptEncodingHeader,
    };
    if (this.#deadline !== null) headers["grpc-timeout"] = encodeGrpcTimeout(this.#deadline.getTime() - Date.now());
    if (this.#outgoing.encoding !== null) headers["grpc-encoding"] = this.#outgoing.encoding;
    if (this.#options.metadata.size > 0) metadataToHeaders(this.#options.metadata, headers as Record<string, string>);
    let stream: ClientHttp2Stream;
    try {
      stream = connection.session.request(headers, { endStream: false });
    } catch (error) {
      // The session began to close (GOAWAY) since the transport picked it: once more on a new one.
      if (!this.#retried) {
        this.#retried = true;
        this.#transport.pick(this);
        return;
      }
      this.#end(StatusCode.UNAVAILABLE, connection.lostReason ?? (error as Error).message);
      return;
    }
    this.#connection = connection;
    this.#stream = stream;
    this.#transport.streamOpened(connection);
    stream.on("response", (headers: IncomingHttpHeaders, _flags: number, raw: string[]) => this.#onResponse(headers, raw));
    stream.on("trailers", (headers: IncomingHttpHeaders, _flags: number, raw: string[]) => this.#onTrailers(headers, raw));
    stream.on("data", (chunk: Buffer) => this.#onData(chunk));
    stream.on("end", () => this.#onEnd());
    stream.on("drain", () => this.#writers.wakeAll());
    // Node reports a reset or a lost connection as an 'error' too; 'close' carries the same facts.
    stream.on("error", () => {});
    stream.on("close", () => this.#onClose(stream, connection));
    stream.pause();
    const unsent = this.#unsent ?? [];
    this.#unsent = null;
    for (const bytes of unsent) this.#send(bytes);
    if (this.#halfClosed && this.#outgoing.pending === null) stream.end();
    this.#writers.wakeAll();
    this.#flow();
  }

  /** No connection could be had for this call (`why`, in plain words). */
  failToStart(why: string): void {
    this.#end(StatusCode.UNAVAILABLE, why);
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      // Past the deadline, the timer is about to end the call (it cannot have run if the caller
      // kept the event loop busy): end it now rather than hand out a message late.
      if (!this.#ended && deadlinePassed(this.#deadline)) this.#expire();
      if (this.#endedLocally) return null;
      const message = this.#received.shift();
      if (message !== undefined) {
        this.#readPending = false;
        this.#flow();
        return message;
      }
      if (this.#ended) return null;
      this.#readPending = true;
      this.#flow();
      await this.#readers.wait();
    }
  }

  write(message: Uint8Array, options?: WriteOptions): boolean {
    if (this.#ended || this.#halfClosed) return false;
    const max = this.#transport.callSettings.maxSendMessageLength;
    if (message.byteLength > max) {
      this.#fail(StatusCode.RESOURCE_EXHAUSTED, `Sent message larger than max (${message.byteLength} vs. ${max})`);
      return false;
    }
    return this.#outgoing.write(message, options?.noCompress);
  }

  // Where the requests go, framed and compressed, in order.
  static readonly #outgoingSink: OutgoingMessagesSink<NodeHttp2ClientCall> = {
    send: (call, framed) => !call.#ended && call.#send(framed),
    failed: (call, error) => call.#fail(StatusCode.INTERNAL, `Failed to compress a request: ${String(error)}`),
    caughtUp: (call) => {
      if (call.#halfClosed) call.#stream?.end();
      call.#writers.wakeAll();
    },
  };

  drained(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    const compressing = this.#outgoing.pending;
    if (compressing !== null) return compressing.then(() => this.drained());
    if (this.#stream !== null && !this.#stream.writableNeedDrain) return Promise.resolve();
    return this.#writers.wait();
  }

  halfClose(): void {
    if (this.#ended || this.#halfClosed) return;
    this.#halfClosed = true;
    if (this.#stream !== null && this.#outgoing.pending === null) this.#stream.end();
  }

  cancel(): void {
    this.#endLocally(StatusCode.CANCELLED, "Cancelled on client");
  }

  /** Runs the call credentials (the channel's, then the call's), adds their metadata, then asks for a connection. */
  async #authorizeThenPick(): Promise<void> {
    const settings = this.#transport.callSettings;
    const service = this.#path.slice(0, this.#path.lastIndexOf("/"));
    const context = { serviceUrl: `${settings.serviceUrlBase}${service}`, methodName: this.#path.slice(this.#path.lastIndexOf("/") + 1) };
    try {
      for (const credentials of [settings.channelCallCredentials, this.#options.credentials]) {
        if (credentials === null) continue;
        for (const [key, value] of await authMetadata(credentials, context)) this.#options.metadata.add(key, value);
      }
    } catch (error) {
      const rpcError = error as RpcError;
      this.#end(rpcError instanceof RpcError ? rpcError.code() : StatusCode.UNAVAILABLE, rpcError.message);
      return;
    }
    if (!this.#ended) this.#transport.pick(this);
  }

  #send(framed: Uint8Array): boolean {
    const stream = this.#stream;
    if (stream === null) {
      this.#unsent?.push(framed);
      return false;
    }
    if (this.#replay !== null) {
      this.#replayBytes += framed.byteLength;
      if (this.#replayBytes <= replayBytes) this.#replay.push(framed);
      else this.#replay = null;
    }
    // As in grpcio, one message is taken whatever its size when nothing waits before it (a message
    // larger than the stream's window could otherwise never be accepted); the next waits for it.
    const idle = stream.writableLength === 0;
    return stream.write(framed) || idle;
  }

  #onResponse(headers: IncomingHttpHeaders, raw: string[]): void {
    this.#gotHeaders = true;
    this.#replay = null;
    this.#httpStatus = Number(headers[":status"]);
    this.#contentType = headers["content-type"];
    if (headers["grpc-status"] !== undefined) {
      // Trailers-only: the status (and trailing metadata) in the only headers.
      this.#onTrailers(headers, raw);
      return;
    }
    if (this.#httpStatus !== 200 || !isGrpcContentType(this.#contentType)) {
      this.#fail(...this.#httpFailure());
      return;
    }
    const encoding = parseMessageEncoding(headers["grpc-encoding"] as string | undefined);
    if (encoding === undefined) {
      this.#fail(
        StatusCode.INTERNAL,
        `The server compressed its responses with ${JSON.stringify(headers["grpc-encoding"])}, an encoding this client does not know`,
      );
      return;
    }
    this.#incoming.encoding = encoding;
    this.#resolveHeaders(metadataFromRawHeaders(raw));
  }

  #onTrailers(headers: IncomingHttpHeaders, raw: string[]): void {
    const code = headers["grpc-status"];
    if (code === undefined) return;
    const message = headers["grpc-message"];
    this.#trailerStatus = {
      code: parseGrpcStatus(code as string),
      details: typeof message === "string" ? decodeGrpcMessage(message) : "",
      trailingMetadata: metadataFromRawHeaders(raw, true),
    };
  }

  #onData(chunk: Buffer): void {
    if (this.#ended) return;
    this.#incoming.push(chunk);
  }

  // Where the responses go, as they are cut and inflated, in order.
  static readonly #sink: IncomingMessagesSink<NodeHttp2ClientCall> = {
    message: (call, data) => call.#received.push(data),
    failed: (call, error) => call.#fail(error.code, error.details),
    taken: (call) => {
      call.#readers.wakeAll();
      call.#flow();
      // The status waited for a message being inflated.
      if (call.#inputEnded) call.#finish();
    },
  };

  /** Reads from the stream while a read is pending or the read-ahead bounds allow; pauses otherwise. */
  #flow(): void {
    const stream = this.#stream;
    if (stream === null || this.#ended) return;
    const want = !this.#incoming.inflating && (this.#readPending || !this.#received.full(readAheadBytes, readAheadMessages));
    if (want && !this.#reading) {
      this.#reading = true;
      stream.resume();
    } else if (!want && this.#reading) {
      this.#reading = false;
      stream.pause();
    }
  }

  #onEnd(): void {
    this.#inputEnded = true;
    // Without a status the stream was cut off: 'close' says how (reset, lost connection).
    this.#finish();
  }

  #onClose(stream: ClientHttp2Stream, connection: ClientConnection): void {
    this.#transport.streamClosed(connection);
    if (this.#ended) return;
    const rstCode = stream.rstCode ?? constants.NGHTTP2_NO_ERROR;
    const lost = connection.session.destroyed || connection.lostReason !== null;
    if (!this.#gotHeaders && !this.#retried && rstCode === constants.NGHTTP2_REFUSED_STREAM && this.#replay !== null) {
      // The server never saw it (REFUSED_STREAM, or above a GOAWAY's last stream): once more, transparently.
      this.#retried = true;
      this.#stream = null;
      this.#reading = false;
      this.#incoming = new IncomingMessages(this.#transport.callSettings.maxReceiveMessageLength, NodeHttp2ClientCall.#sink, this);
      this.#unsent = this.#replay;
      this.#replay = [];
      this.#transport.pick(this);
      return;
    }
    // The server's status is in (the end comes after any message still being inflated).
    if (this.#trailerStatus !== null) {
      this.#finish();
      return;
    }
    if (lost && rstCode !== constants.NGHTTP2_REFUSED_STREAM) {
      this.#end(StatusCode.UNAVAILABLE, connection.lostReason ?? `the connection to ${connection.label} was lost`);
      return;
    }
    // Closed cleanly without a status (or a reset Node reported as clean: transports.md).
    if (rstCode === constants.NGHTTP2_NO_ERROR) {
      this.#end(...this.#httpFailure());
      return;
    }
    const code = resetCodes[rstCode] ?? StatusCode.INTERNAL;
    this.#end(
      code,
      `The server reset the stream (RST_STREAM code ${rstCode}${rstCode === constants.NGHTTP2_REFUSED_STREAM ? ", REFUSED_STREAM" : ""})`,
    );
  }

  /** The response ended with the server's status (`#trailerStatus`): ends the call once every message before it is taken. */
  #finish(): void {
    const status = this.#trailerStatus;
    if (this.#ended || status === null || this.#incoming.inflating) return;
    const partial = this.#incoming.end();
    if (partial !== null) {
      this.#end(partial.code, partial.details);
      return;
    }
    // The server is done: requests it will never read are not sent; the request side ends without a reset.
    this.#unsent = null;
    const stream = this.#stream;
    if (stream !== null && !stream.writableEnded) stream.end();
    this.#end(status.code, status.details, status.trailingMetadata);
  }

  /** The status of a response without grpc-status: from its HTTP status and content-type (http-grpc-status-mapping.md). */
  #httpFailure(): [StatusCode, string] {
    const http = this.#httpStatus;
    if (http !== 200)
      return [
        httpStatusCode(http),
        `Received HTTP status ${http}${this.#contentType ? ` (${this.#contentType})` : ""}, not a gRPC response`,
      ];
    if (!isGrpcContentType(this.#contentType)) {
      return [StatusCode.UNKNOWN, `Received content-type ${JSON.stringify(this.#contentType ?? "")}, not application/grpc`];
    }
    return [StatusCode.UNKNOWN, "The response ended without a grpc-status"];
  }

  #expire(): void {
    this.#endLocally(StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded");
  }

  /** Ended by this side: the server's stream is reset (CANCEL), what was read ahead dropped. */
  #endLocally(code: StatusCode, details: string): void {
    if (this.#ended) return;
    this.#endedLocally = true;
    this.#received.clear();
    this.#reset();
    this.#end(code, details);
  }

  /** Ended by this side for a fault of the response's (or of a request's size): the stream is reset, the status is `code`. */
  #fail(code: StatusCode, details: string): void {
    if (this.#ended) return;
    this.#reset();
    this.#end(code, details);
  }

  /** Resets the stream (CANCEL), so that the server stops; never after the server's status (nghttp2 counts resets, and a peer that sends many gets GOAWAY). */
  #reset(): void {
    const stream = this.#stream;
    if (stream !== null && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
  }

  #end(code: StatusCode, details: string, trailingMetadata: Metadata = noTrailingMetadata): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#incoming.stop();
    clearTimeout(this.#deadlineTimer);
    this.#transport.unpick(this);
    // grpcio hands out nothing once the deadline has passed, whoever reported it.
    if (code === StatusCode.DEADLINE_EXCEEDED && deadlinePassed(this.#deadline, deadlineSlackMs)) {
      this.#endedLocally = true;
      this.#received.clear();
    }
    this.#resolveHeaders(new Metadata());
    this.#resolveStatus({
      code,
      details,
      trailingMetadata,
      debug: `${details} (node-http2, ${this.#connection?.label ?? "not connected"})`,
    });
    this.#readers.wakeAll();
    this.#writers.wakeAll();
  }
}

function isGrpcContentType(value: string | undefined): boolean {
  return (
    value !== undefined && (value === "application/grpc" || value.startsWith("application/grpc+") || value.startsWith("application/grpc;"))
  );
}
