import type { Compression } from "../core/compression.js";
import type { Metadata } from "../core/metadata.js";
import type { RequestIterable } from "../core/types.js";
import type { CallCredentials } from "../transport/client-credentials.js";
import type { CallFuture } from "./call-future.js";
import type { ResponseStream } from "./response-stream.js";

/**
 * What a client interceptor learns about a call, and may replace (pass a modified copy to the
 * continuation), like grpcio's `ClientCallDetails`.
 */
export interface ClientCallDetails {
  /** The method path, `/package.Service/Method`. */
  method: string;
  /** Seconds left until the call's deadline when the interceptor runs; null without one. */
  timeout: number | null;
  /** The request metadata (a copy the interceptor may change). */
  metadata: Metadata;
  /** The call's own call credentials, or null. */
  credentials: CallCredentials | null;
  /** Whether the call waits for the channel to be ready rather than failing fast; null: not set. */
  waitForReady: boolean | null;
  /** The call's own compression, or null for the channel's. */
  compression: Compression | null;
}

/**
 * A client interceptor: implement any subset of the four methods. Each gets the `continuation`
 * (the rest of the chain and then the call itself), the call's details and its request(s), and
 * returns what the continuation returns, or something that behaves the same: a CallFuture for
 * unary responses (see `callFutureFrom` for async logic such as retries), a ResponseStream for
 * streamed ones. The first interceptor listed runs outermost, as in grpcio.
 *
 * @example
 * const stamp: ClientInterceptor = {
 *   interceptUnaryUnary(continuation, details, request) {
 *     const metadata = details.metadata.clone();
 *     metadata.set("x-request-id", randomUUID());
 *     return continuation({ ...details, metadata }, request);
 *   },
 * };
 */
export interface ClientInterceptor {
  /** Intercepts a unary-unary call. */
  interceptUnaryUnary?(
    continuation: (details: ClientCallDetails, request: unknown) => CallFuture<unknown>,
    details: ClientCallDetails,
    request: unknown,
  ): CallFuture<unknown>;
  /** Intercepts a unary-stream call. */
  interceptUnaryStream?(
    continuation: (details: ClientCallDetails, request: unknown) => ResponseStream<unknown>,
    details: ClientCallDetails,
    request: unknown,
  ): ResponseStream<unknown>;
  /** Intercepts a stream-unary call. */
  interceptStreamUnary?(
    continuation: (details: ClientCallDetails, requests: RequestIterable<unknown>) => CallFuture<unknown>,
    details: ClientCallDetails,
    requests: RequestIterable<unknown>,
  ): CallFuture<unknown>;
  /** Intercepts a stream-stream call. */
  interceptStreamStream?(
    continuation: (details: ClientCallDetails, requests: RequestIterable<unknown>) => ResponseStream<unknown>,
    details: ClientCallDetails,
    requests: RequestIterable<unknown>,
  ): ResponseStream<unknown>;
}

/** The four methods a client interceptor may implement. */
export const interceptorMethods = ["interceptUnaryUnary", "interceptUnaryStream", "interceptStreamUnary", "interceptStreamStream"] as const;
