import type * as grpc from "@grpc/grpc-js";
import type { Metadata } from "../metadata.js";
import { StatusCode } from "../status-code.js";
import type { CancelReason, PeerAuth, ServerCallTransport, ServerStatus } from "../transport.js";
import type { WriteOptions } from "../write-options.js";
import { asBuffer, fromGrpcMetadata, toGrpcMetadata } from "./metadata.js";
import { StreamReader } from "./stream-reader.js";
import { writeMessage } from "./write-message.js";

/** A cancellation this close to the deadline is the deadline passing (see onCancel). */
const deadlineSlackMs = 100;

/**
 * One RPC on a grpc-js server, seen through ServerCallTransport. Every method is registered with
 * grpc-js as `bidi` with pass-through (de)serializers, so that grpc-js only moves bytes and the
 * runtime applies grpcio's rules for every RPC kind itself.
 */
export class GrpcJsServerCall implements ServerCallTransport {
  readonly method: string;
  readonly deadline: Date | null;
  readonly #stream: grpc.ServerDuplexStream<Buffer, Buffer>;
  #metadata: Metadata | null = null;
  readonly #reader: StreamReader;
  // grpc-js can name the peer only while the stream is attached to its session: kept from the start.
  readonly #peer: string;
  #auth: PeerAuth | null = null;
  #ended = false;
  #drainWaiters: (() => void)[] = [];

  constructor(stream: grpc.ServerDuplexStream<Buffer, Buffer>) {
    this.#stream = stream;
    this.method = stream.getPath();
    this.deadline = toDeadline(stream.getDeadline());
    this.#reader = new StreamReader(stream);
    this.#peer = grpcioPeer(stream.getPeer());
    stream.on("drain", () => this.#wakeWriters());
    // A status is already on its way; the error event only has to be listened to.
    stream.on("error", () => {});
    stream.once("cancelled", () => {
      this.#ended = true;
      this.#wakeWriters();
    });
  }

  // Converted on first use: most handlers never look at their metadata.
  get metadata(): Metadata {
    this.#metadata ??= fromGrpcMetadata(this.#stream.metadata);
    return this.#metadata;
  }

  peer(): string {
    return this.#peer;
  }

  auth(): PeerAuth {
    this.#auth ??= peerAuth(this.#stream.getAuthContext());
    return this.#auth;
  }

  read(): Promise<Uint8Array | null> {
    return this.#reader.read();
  }

  readBuffered(): Uint8Array | null | undefined {
    return this.#reader.readBuffered();
  }

  sendHeaders(metadata: Metadata): void {
    if (!this.#ended) this.#stream.sendMetadata(toGrpcMetadata(metadata));
  }

  write(message: Uint8Array, options?: WriteOptions): boolean {
    if (this.#ended) return false;
    return writeMessage(this.#stream, asBuffer(message), options);
  }

  drained(): Promise<void> {
    if (this.#ended || !this.#stream.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  sendStatus(status: ServerStatus): void {
    if (this.#ended) return;
    this.#ended = true;
    const metadata = toGrpcMetadata(status.trailers);
    if (status.code === StatusCode.OK) {
      this.#stream.end(metadata);
    } else {
      // grpc-js ends the stream with this status once the pending messages are written.
      this.#stream.emit("error", { code: status.code, details: status.details, metadata });
    }
    this.#wakeWriters();
  }

  onCancel(listener: (reason: CancelReason) => void): void {
    this.#stream.once("cancelled", () => listener(cancelReason(this.deadline)));
  }

  #wakeWriters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * Why grpc-js cancelled an RPC; it gives no reason. The client cancels at its own deadline, which
 * the server sees a network hop later than its deadline timer would fire: allow for that hop.
 */
export function cancelReason(deadline: Date | null): CancelReason {
  const expired = deadline !== null && deadline.getTime() <= Date.now() + deadlineSlackMs;
  return expired ? StatusCode.DEADLINE_EXCEEDED : StatusCode.CANCELLED;
}

/** grpc-js's deadline (a Date, or Infinity for none) as a Date or null. */
export function toDeadline(deadline: grpc.Deadline): Date | null {
  return deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : null;
}

/** grpc-js's `host:port` as grpcio writes a peer: `ipv4:127.0.0.1:45902`, `ipv6:[::1]:45902`. */
export function grpcioPeer(peer: string): string {
  if (peer === "unknown") return peer;
  if (peer.startsWith("[")) return `ipv6:${peer}`;
  const colon = peer.lastIndexOf(":");
  const host = colon === -1 ? peer : peer.slice(0, colon);
  if (host.includes(":")) return `ipv6:[${host}]${peer.slice(colon)}`;
  return `ipv4:${peer}`;
}

type AuthContext = ReturnType<grpc.ServerDuplexStream<Buffer, Buffer>["getAuthContext"]>;

const text = (s: string) => new TextEncoder().encode(s);

/** grpc-js's auth context in grpcio's shape (`auth_context()`, `peer_identity_key()`). */
export function peerAuth(context: AuthContext): PeerAuth {
  if (context.transportSecurityType !== "ssl") {
    return {
      properties: { transport_security_type: [text("insecure")], security_level: [text("TSI_SECURITY_NONE")] },
      identityKey: null,
    };
  }
  const properties: Record<string, Uint8Array[]> = {
    transport_security_type: [text("ssl")],
    security_level: [text("TSI_PRIVACY_AND_INTEGRITY")],
  };
  const cert = context.sslPeerCertificate;
  if (!cert) return { properties, identityKey: null };
  const commonName = cert.subject?.CN;
  if (commonName) properties.x509_common_name = [text(String(commonName))];
  const alternativeNames = (cert.subjectaltname ?? "")
    .split(",")
    .map((name: string) => name.trim().replace(/^[A-Za-z ]+:/, ""))
    .filter((name: string) => name.length > 0);
  if (alternativeNames.length > 0) properties.x509_subject_alternative_name = alternativeNames.map(text);
  properties.x509_pem_cert = [text(`-----BEGIN CERTIFICATE-----\n${cert.raw.toString("base64")}\n-----END CERTIFICATE-----\n`)];
  // C-core names the peer by its subject alternative names when it has any, else its common name.
  const identityKey = alternativeNames.length > 0 ? "x509_subject_alternative_name" : commonName ? "x509_common_name" : null;
  return { properties, identityKey };
}
