import type { Compression } from "../core/compression.js";
import type { ChannelConnectivity } from "../core/connectivity.js";
import { Metadata } from "../core/metadata.js";
import type { StatusCode } from "../core/status-code.js";
import type { WriteOptions } from "../core/write-options.js";
import type { CallCredentials } from "./client-credentials.js";
import type { ServerCredentials } from "./server-credentials.js";

// The seam between the runtime's grpcio-style API (client/, server/) and the HTTP/2 transport
// underneath (grpc-js's client and server in ../grpc-js/, the server on node:http2 in
// ../node-http2/, both sides in memory in ../memory/). Everything above this file deals in bytes,
// Metadata and StatusCode only; everything below it knows nothing of stubs, futures or servicers.
// This folder imports only core/ (biome.json states the layers).

/** How an RPC ended, as the client's transport saw it: the status a server sends, and what the transport adds. */
export interface TransportStatus extends ServerStatus {
  /** The transport's own description, kept for `debugErrorString()`. */
  debug: string;
  /**
   * The stack frames (`    at …` lines) of the code that started the call, when the transport
   * captured them. grpc-js does for every call, and hands them over with a failed status; the
   * runtime reuses them instead of capturing a stack of its own on every call.
   */
  callerFrames?: string | undefined;
}

/** What a client call is started with; options are already validated. */
export interface StartCallOptions {
  readonly deadline: Date | null;
  readonly metadata: Metadata;
  readonly waitForReady: boolean;
  /** Per-call credentials (on a secure channel only), or null. */
  readonly credentials: CallCredentials | null;
  readonly compression: Compression | null;
}

/**
 * What a client transport's connections are made with: `channelSettings()` of the channel's
 * options, validated, defaults filled in. Seconds and bytes; Infinity for "no limit".
 */
export interface ChannelSettings {
  /** A request message longer than this fails its call with RESOURCE_EXHAUSTED instead of being sent. */
  readonly maxSendMessageLength: number;
  /** A response message longer than this ends its call with RESOURCE_EXHAUSTED. */
  readonly maxReceiveMessageLength: number;
  /** Between keepalive PINGs while calls are in flight (or always, with `keepalivePermitWithoutCalls`). */
  readonly keepaliveTime: number;
  /** A PING unanswered this long closes the connection, failing its calls with UNAVAILABLE. */
  readonly keepaliveTimeout: number;
  readonly keepalivePermitWithoutCalls: boolean;
  /** `:authority` of every call, in place of the target's host; null: the target's. */
  readonly defaultAuthority: string | null;
  /** The name TLS checks the server's certificate against, in place of the target's host; null: the target's. */
  readonly sslTargetNameOverride: string | null;
  /** `user-agent`, before the transport's own name and version. */
  readonly userAgent: string;
  /** How calls spread over the addresses a target resolves to. */
  readonly loadBalancingPolicy: LoadBalancingPolicy;
  /** Whether calls are retried as the service config's retry policies say (and transparently, before any byte left). */
  readonly enableRetries: boolean;
  /** Waits between attempts to reconnect: the first, and the most the backoff grows to. */
  readonly initialReconnectBackoff: number;
  readonly maxReconnectBackoff: number;
  /** Without calls this long, the connection closes and the channel goes IDLE. */
  readonly idleTimeout: number;
}

/** grpcio's `grpc.lb_policy_name`: stay on the first address that connects, or spread calls over all. */
export type LoadBalancingPolicy = "pick_first" | "round_robin";

/** One client RPC in flight. Messages are bytes; (de)serialization happens above. */
export interface TransportCall {
  /** Resolves with the server's headers, or with empty metadata if the RPC ended without any. */
  readonly headers: Promise<Metadata>;
  /** Resolves (never rejects) when the RPC has ended, however it ended. */
  readonly status: Promise<TransportStatus>;
  /**
   * The next response message, or null once there are no more (the stream ended or failed:
   * consult `status`). Messages are pulled: the transport reads ahead only a bounded amount, in
   * bytes (grpc-js: under 64 KiB plus one message). After `cancel()`, or once the deadline has
   * passed, null at once: what was read ahead is dropped, as grpcio hands none of it out. A status
   * of the server's own making (even DEADLINE_EXCEEDED, before the deadline) drops nothing.
   */
  read(): Promise<Uint8Array | null>;
  /**
   * Sends a request message (uncompressed if `options.noCompress`, on a call that compresses);
   * false when the transport has no room for more until `drained()`.
   */
  write(message: Uint8Array, options?: WriteOptions): boolean;
  /** Resolves when the transport has room again (at once if it has), or the RPC has ended. */
  drained(): Promise<void>;
  /** No more request messages. */
  halfClose(): void;
  /** Ends the RPC with CANCELLED; idempotent. */
  cancel(): void;
}

/** What a client transport can do beyond the seam's must-haves. */
export interface ClientTransportCapabilities {
  /** It may carry call credentials: its calls travel encrypted, so a token never crosses in clear text. */
  readonly callCredentials: boolean;
}

/** What a transport needs to know of a method to start a call of it (a `MethodDefinition` is one). */
export interface TransportMethod {
  /** `/package.Service/Method`. */
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

/** A connection to one target, able to start RPCs of each kind. */
export interface ClientTransport {
  /** What it can do beyond what every transport must: the channel consults this, never the transport's name. */
  readonly capabilities: ClientTransportCapabilities;
  /**
   * Starts a call of `method`. A method with a single request gets it as `request`, sent and
   * half-closed at once; a client-streaming one gets null and its requests through `write()`.
   */
  start(method: TransportMethod, options: StartCallOptions, request: Uint8Array | null): TransportCall;
  connectivity(tryToConnect: boolean): ChannelConnectivity;
  /** Resolves when the state differs from `last` (holding no timer meanwhile). */
  watchConnectivity(last: ChannelConnectivity): Promise<void>;
  close(): void;
}

/** Facts about the connection an RPC arrived on, as grpcio's `auth_context()` gives them. */
export interface PeerAuth {
  /** e.g. `{ transport_security_type: ["ssl"], x509_common_name: [...] }`, values as bytes. */
  properties: Record<string, Uint8Array[]>;
  /** The property that names the peer (`x509_common_name`), or null when unauthenticated. */
  identityKey: string | null;
}

/** The final status a server sends: the code, its details, its trailing metadata (the base of TransportStatus). */
export interface ServerStatus {
  code: StatusCode;
  details: string;
  trailingMetadata: Metadata;
}

/** The trailing metadata of every status that has none: one shared object, so never add to it. */
export const noTrailingMetadata: Metadata = new Metadata();

/** Why an RPC ended without the handler's status: the client left, the deadline passed, or the server stopped. */
export type CancelReason = StatusCode.CANCELLED | StatusCode.DEADLINE_EXCEEDED;

/** One server RPC in flight, as the handler runner drives it. Messages are bytes. */
export interface ServerCallTransport {
  /** `/package.Service/Method`. */
  readonly method: string;
  readonly metadata: Metadata;
  readonly deadline: Date | null;
  peer(): string;
  /** Read from the connection: ask while the RPC is active (the answer is kept). */
  auth(): PeerAuth;
  /** The next request message, or null when the client has half-closed or the RPC ended. */
  read(): Promise<Uint8Array | null>;
  /**
   * The next request if one is already buffered, null once there are no more, undefined when
   * `read()` would have to wait. Optional: it spares a client stream a promise per message.
   */
  readBuffered?(): Uint8Array | null | undefined;
  /** Sends the response headers now (otherwise they go with the first message or the status). */
  sendHeaders(metadata: Metadata): void;
  /** Sends a response message; false when the transport has no room until `drained()`. */
  write(message: Uint8Array, options?: WriteOptions): boolean;
  /** Resolves when the transport has room again, or the RPC has ended. */
  drained(): Promise<void>;
  /** Ends the RPC with `status`; later calls are ignored. */
  sendStatus(status: ServerStatus): void;
  /** `listener` runs once if the RPC ends other than by `sendStatus`. */
  onCancel(listener: (reason: CancelReason) => void): void;
  /**
   * Present on a transport that compresses responses: the algorithm of this RPC's responses, from
   * the response headers on (set before they go out). An algorithm the client's
   * `grpc-accept-encoding` does not list falls back to none. `write(m, { noCompress: true })`
   * sends one message uncompressed.
   */
  setCompression?(compression: Compression): void;
  /** Present on a transport that can tell: whether the request message `read()` gave last arrived compressed. */
  lastReadCompressed?(): boolean;
}

/**
 * What a server lets each connection and each RPC hold, validated, defaults filled in: what a
 * server transport is built with. Durations in seconds, sizes in bytes; Infinity for no limit.
 */
export interface ServerLimits {
  /** Advertised as SETTINGS_MAX_CONCURRENT_STREAMS: streams one connection may have open at once. */
  readonly maxConcurrentStreams: number;
  /** A connection that has started no RPC this long after it opened is closed. */
  readonly handshakeTimeout: number;
  /** A connection without RPCs for this long is closed with GOAWAY (grpc's max_connection_idle). */
  readonly maxConnectionIdle: number;
  /** A request message longer than this ends its RPC with RESOURCE_EXHAUSTED before it is buffered. */
  readonly maxReceiveMessageLength: number;
  /** A response message longer than this ends its RPC with RESOURCE_EXHAUSTED instead of being sent. */
  readonly maxSendMessageLength: number;
  /** Request headers larger than this (HPACK's size: name + value + 32 each) get RESOURCE_EXHAUSTED. */
  readonly maxMetadataSize: number;
  /** Between the server's keepalive PINGs; one unanswered for `keepaliveTimeout` closes the connection. */
  readonly keepaliveTime: number;
  readonly keepaliveTimeout: number;
  /** The least a client leaves between its PINGs; sooner is a strike (see `maxPingStrikes`). */
  readonly minClientPingInterval: number;
  readonly keepalivePermitWithoutCalls: boolean;
  /** Strikes forgiven before GOAWAY ENHANCE_YOUR_CALM. */
  readonly maxPingStrikes: number;
  /** A connection older than this (±10%) gets GOAWAY; `maxConnectionAgeGrace` later it is closed. */
  readonly maxConnectionAge: number;
  readonly maxConnectionAgeGrace: number;
}

/** What a server transport can do beyond the seam's must-haves. */
export interface ServerTransportCapabilities {
  /** Its name, for the warnings about what it cannot do (`"grpc-js"`). */
  readonly name: string;
  /** It compresses responses: its calls have `setCompression` and honour `noCompress`. */
  readonly responseCompression: boolean;
  /** It polices client PINGs (`minClientPingInterval`, `maxPingStrikes`). */
  readonly pingPolicing: boolean;
}

/**
 * The listening side of a server: routes method paths to the runtime and owns the ports. The
 * grpc-js implementation is `GrpcJsServerTransport`; `@tsgrpc/runtime/testing` has an in-memory one.
 */
export interface ServerTransport {
  /** What it can do beyond what every transport must: the server consults this, never the transport's name. */
  readonly capabilities: ServerTransportCapabilities;
  /**
   * Routes RPCs on `path` to `onCall`. Paths never registered are answered UNIMPLEMENTED by the
   * transport; every RPC kind arrives the same way, and the runtime applies grpcio's rules for each.
   */
  register(path: string, onCall: (call: ServerCallTransport) => void): void;
  /** Binds `address` (port 0 picks one) with TLS `credentials`, or without TLS for null. */
  bind(address: string, credentials: ServerCredentials | null): Promise<number>;
  /**
   * New connections to every TLS port get `credentials`' certificates from now on; connections
   * already open keep theirs. The client-certificate policy stays the one the ports were bound with.
   */
  reloadCredentials(credentials: ServerCredentials): void;
  /** Stops accepting connections; resolves once every connection has closed. */
  shutdown(): Promise<void>;
  /** Ends every connection and RPC now, sockets included: a peer cannot hold it up. */
  forceShutdown(): void;
}
