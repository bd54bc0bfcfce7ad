import type { RpcContext } from "./call.js";
import type { Compression } from "./compression.js";
import type { Metadata, MetadataInit } from "./metadata.js";
import type { StatusCode } from "./status-code.js";

// The servicer side's contract, here in core because both sides use it: servers implement it
// (server/server-call-context.ts), and a client call takes one as its `parent`.

/** A status to end an RPC with, as `abortWithStatus` takes it (grpcio's `grpc.Status`). */
export interface Status {
  /** The status code. */
  code: StatusCode;
  /** The status details. */
  details: string;
  /** Trailers sent with the status. */
  trailingMetadata?: MetadataInit | undefined;
}

/**
 * What a servicer method gets besides its request: grpcio's `ServicerContext`, plus an
 * AbortSignal that fires when the RPC is cancelled, times out, or the server stops.
 */
export interface ServicerContext extends RpcContext {
  /** Aborted when the client cancels, the deadline passes, or the server stops. */
  readonly signal: AbortSignal;
  /** The request metadata, including transport keys such as `user-agent`. */
  invocationMetadata(): Metadata;
  /** The client's address, e.g. `ipv4:127.0.0.1:45902`. */
  peer(): string;
  /** The client's identities (certificate names) under mutual TLS, or null. */
  peerIdentities(): Uint8Array[] | null;
  /** The auth-context key that names the peer identity (`x509_common_name`), or null. */
  peerIdentityKey(): string | null;
  /** The connection's authentication properties, as grpcio's `auth_context()`: `transport_security_type`, and under TLS the peer certificate's names. */
  authContext(): Record<string, Uint8Array[]>;
  /** Sends the response headers now. Allowed once, before the first response message. */
  sendInitialMetadata(metadata: MetadataInit): void;
  /** Sets the trailers sent with the status; the last call wins. */
  setTrailingMetadata(metadata: MetadataInit): void;
  /** The trailers set so far with `setTrailingMetadata`. */
  trailingMetadata(): Metadata;
  /** Ends the RPC with `code` and `details` (throws; nothing after it runs). */
  abort(code: StatusCode, details: string): never;
  /** Ends the RPC with `status`, its trailing metadata included. */
  abortWithStatus(status: Status): never;
  /** The code to end the RPC with, even if the handler then returns or throws. */
  setCode(code: StatusCode): void;
  /** Sets the status details sent when the handler returns. */
  setDetails(details: string): void;
  /** The code set (or, after the RPC ended, the final code); null if none. */
  code(): StatusCode | null;
  /** The details set so far (after the RPC ended, its final details), or null. */
  details(): string | null;
  /**
   * Compresses this RPC's responses with `compression`, as grpcio's `set_compression` (call it
   * before the first response; the client must list the algorithm in its `grpc-accept-encoding`,
   * or responses go uncompressed). Honoured by the node-http2 server transport; the grpc-js one
   * cannot compress and warns once.
   */
  setCompression(compression: Compression): void;
  /** Sends the next response message uncompressed, as grpcio's `disable_next_message_compression` (grpc-js: warns once). */
  disableNextMessageCompression(): void;
  /**
   * Whether the request message the handler received last arrived compressed (false before the
   * first); null where the transport cannot tell (grpc-js decompresses before any handler runs).
   * grpcio has no public equivalent.
   */
  requestCompressed(): boolean | null;
}
