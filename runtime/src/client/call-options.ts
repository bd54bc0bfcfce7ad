import type { Compression } from "../core/compression.js";
import type { MetadataInit } from "../core/metadata.js";
import type { ServicerContext } from "../core/servicer-context.js";
import type { CallCredentials } from "../transport/client-credentials.js";

/** Options of one client call; all optional. */
export interface CallOptions {
  /** Seconds from now, like grpcio. With `deadline`, the earlier wins. */
  timeout?: number | undefined;
  /** An absolute deadline. With `timeout`, the earlier wins. */
  deadline?: Date | undefined;
  /**
   * The RPC being served: the call inherits its remaining deadline and is cancelled when it is
   * cancelled or times out (not when it completes). Without it, on a server created with
   * `propagateDeadlines: true`, the RPC whose handler makes the call is the parent; `null` opts out.
   */
  parent?: ServicerContext | null | undefined;
  /** Request metadata. Keys ending in `-bin` take Uint8Array values. */
  metadata?: MetadataInit | undefined;
  /** Per-call credentials (secure channels only). */
  credentials?: CallCredentials | undefined;
  /** Wait through TRANSIENT_FAILURE until the deadline instead of failing fast with UNAVAILABLE. */
  waitForReady?: boolean | undefined;
  /**
   * Compress this call's requests with this algorithm (every call that asks is compressed, as in
   * grpcio). One message may opt out: `WriteOptions.noCompress`.
   */
  compression?: Compression | undefined;
  /** Aborting it cancels the call (CANCELLED). */
  signal?: AbortSignal | undefined;
}
