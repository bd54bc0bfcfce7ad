import type { Metadata } from "./metadata.js";
import type { StatusCode } from "./status-code.js";

/** What both sides of an RPC can ask about it and do to it (grpcio's `RpcContext`). */
export interface RpcContext {
  /** False once the RPC has ended, however it ended. */
  isActive(): boolean;
  /** Seconds until the deadline; null when there is none. */
  timeRemaining(): number | null;
  /** Ends the RPC with CANCELLED; idempotent. */
  cancel(): void;
  /** Runs `callback` when the RPC ends; false (and never runs it) if it has already ended. */
  addCallback(callback: () => void): boolean;
}

/**
 * A client RPC: what `withCall`, `future` and streaming calls give you. The getters resolve
 * when their value is known; none of them rejects, whatever the outcome of the RPC.
 */
export interface Call extends RpcContext {
  /** The server's headers (empty if it sent none). */
  initialMetadata(): Promise<Metadata>;
  /** The server's trailers, at the end of the RPC. */
  trailingMetadata(): Promise<Metadata>;
  /** The status code, at the end of the RPC. */
  code(): Promise<StatusCode>;
  /** The status details, at the end of the RPC. */
  details(): Promise<string>;
}
