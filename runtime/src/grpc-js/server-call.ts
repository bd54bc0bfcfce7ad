import type * as grpc from "@grpc/grpc-js";
import type { Metadata } from "../core/metadata.js";
import { StatusCode } from "../core/status-code.js";
import { grpcioPeer, peerAuth } from "../node-server/peer.js";
import { headerEntrySize } from "../protocol/metadata-headers.js";
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
import { asBuffer, fromGrpcMetadata, toGrpcMetadata } from "./metadata.js";

/**
 * Responses handed to grpc-js and not yet taken by HTTP/2: past either bound, write() says "no
 * room" until they drain. The count matches grpc-js's own stream buffer (16 objects); the bytes
 * keep a stream of large messages to about one message in flight.
 */
const maxWritesInFlight = 16;
const maxBytesInFlight = 64 * 1024;

/**
 * Requests read ahead of the handler, once it has started reading: small messages in a batch of
 * up to 64 KiB (a client stream of small messages then keeps flowing), a large one never — a
 * message of 64 KiB or more is read only when the handler asks for it.
 */
const readAheadBytes = 64 * 1024;
const readAheadMessages = 64;

/** grpc-js's raw server call, as its server interceptors see it. */
export type RawServerCall = grpc.ServerInterceptingCallInterface;

/**
 * One RPC on a grpc-js server, driven through grpc-js's raw call (the one its server interceptors
 * see) rather than its Readable/Writable handler objects: requests are read once the handler asks
 * (grpc-js then reads one message off HTTP/2, so an unread stream holds no more than the
 * flow-control window), with a bounded read-ahead after that, and no stream objects are built
 * per call. Every RPC kind goes this way; the runtime applies grpcio's rules for each itself.
 */
export class GrpcJsServerCall implements ServerCallTransport {
  readonly method: string;
  readonly deadline: Date | null;
  readonly #raw: RawServerCall;
  #grpcMetadata: grpc.Metadata | null = null;
  #metadata: Metadata | null = null;
  #peer: string | null = null;
  #auth: PeerAuth | null = null;
  // Reading: what grpc-js has handed over and the handler has not taken yet (see readAheadBytes).
  readonly #received = new MessageQueue<Buffer>();
  #halfClosed = false;
  #readPending = false;
  readonly #readers = new Waiters();
  // Writing.
  #writesInFlight = 0;
  #bytesInFlight = 0;
  readonly #writers = new Waiters();
  #ended = false;
  #cancelListener: ((reason: CancelReason) => void) | null = null;

  constructor(raw: RawServerCall, method: string) {
    this.#raw = raw;
    this.method = method;
    this.deadline = toDeadline(raw.getDeadline());
    // grpc-js hands over the metadata synchronously, inside start().
    raw.start({
      onReceiveMetadata: (metadata) => {
        this.#grpcMetadata = metadata;
      },
      onReceiveMessage: (message: Buffer) => {
        this.#readPending = false;
        this.#received.push(message);
        this.#readAhead();
        this.#readers.wakeAll();
      },
      onReceiveHalfClose: () => {
        this.#readPending = false;
        this.#halfClosed = true;
        this.#readers.wakeAll();
      },
      onCancel: () => this.#cancelled(),
    });
  }

  // Converted on first use: most handlers never look at their metadata.
  get metadata(): Metadata {
    this.#metadata ??= fromGrpcMetadata(this.#grpcMetadata);
    return this.#metadata;
  }

  /** The request headers' size as HPACK counts it (name + value + 32 per entry), base64 for bytes. */
  metadataSize(): number {
    let size = 0;
    if (this.#grpcMetadata === null) return size;
    for (const [key, values] of Object.entries(this.#grpcMetadata.toJSON())) {
      // A -bin value counts as the base64 it travelled as.
      for (const value of values)
        size += headerEntrySize(key, typeof value === "string" ? value.length : Math.ceil(value.byteLength / 3) * 4);
    }
    return size;
  }

  /** Ends the RPC for headers over `limit` bytes, before any handler sees it. */
  refuseMetadata(limit: number): void {
    this.sendStatus({
      code: StatusCode.RESOURCE_EXHAUSTED,
      details: `Received metadata larger than max (${this.metadataSize()} vs. ${limit})`,
      trailingMetadata: noTrailingMetadata,
    });
  }

  peer(): string {
    if (this.#peer === null) {
      const { remoteAddress, remotePort } = this.#raw.getConnectionInfo();
      this.#peer = grpcioPeer(remoteAddress, remotePort);
    }
    return this.#peer;
  }

  auth(): PeerAuth {
    if (this.#auth === null) {
      const context = this.#raw.getAuthContext();
      this.#auth = peerAuth(context.transportSecurityType === "ssl", context.sslPeerCertificate);
    }
    return this.#auth;
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const message = this.readBuffered();
      if (message !== undefined) return message;
      await this.#readers.wait();
    }
  }

  readBuffered(): Uint8Array | null | undefined {
    const message = this.#received.shift();
    if (message !== undefined) {
      this.#readAhead();
      return message;
    }
    if (this.#halfClosed || this.#ended) return null;
    if (!this.#readPending) {
      this.#readPending = true;
      // grpc-js delivers a message it has already decoded synchronously, inside startRead().
      this.#raw.startRead();
      return this.readBuffered();
    }
    return undefined;
  }

  sendHeaders(metadata: Metadata): void {
    if (!this.#ended) this.#raw.sendMetadata(toGrpcMetadata(metadata));
  }

  // grpc-js's server never compresses a response, so there is no per-message flag to honour.
  write(message: Uint8Array): boolean {
    if (this.#ended) return false;
    const size = message.byteLength;
    this.#writesInFlight++;
    this.#bytesInFlight += size;
    this.#raw.sendMessage(asBuffer(message), () => {
      this.#writesInFlight--;
      this.#bytesInFlight -= size;
      if (this.#hasRoom()) this.#writers.wakeAll();
    });
    return this.#hasRoom();
  }

  drained(): Promise<void> {
    if (this.#ended || this.#hasRoom()) return Promise.resolve();
    return this.#writers.wait();
  }

  sendStatus(status: ServerStatus): void {
    if (this.#ended) return;
    this.#ended = true;
    // grpc-js sends the trailers once the messages written before them have gone out.
    const metadata = status.trailingMetadata.size === 0 ? null : toGrpcMetadata(status.trailingMetadata);
    this.#raw.sendStatus({ code: status.code as number as grpc.status, details: status.details, metadata });
    this.#readers.wakeAll();
    this.#writers.wakeAll();
  }

  onCancel(listener: (reason: CancelReason) => void): void {
    this.#cancelListener = listener;
  }

  // grpc-js reports every end as a cancel, its own statuses (deadline, decoding errors) included;
  // only an end the runtime did not send itself is one.
  #cancelled(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#readers.wakeAll();
    this.#writers.wakeAll();
    this.#cancelListener?.(cancelReason(this.deadline));
  }

  /** Asks grpc-js for one more request, within the read-ahead bounds. */
  #readAhead(): void {
    if (this.#readPending || this.#halfClosed || this.#ended) return;
    if (this.#received.lastBytes >= readAheadBytes || this.#received.full(readAheadBytes, readAheadMessages)) return;
    this.#readPending = true;
    this.#raw.startRead();
  }

  #hasRoom(): boolean {
    return this.#writesInFlight < maxWritesInFlight && this.#bytesInFlight < maxBytesInFlight;
  }
}

/** grpc-js's deadline (a Date, or Infinity for none) as a Date or null. */
export function toDeadline(deadline: grpc.Deadline): Date | null {
  return deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : null;
}
