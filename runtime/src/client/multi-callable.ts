import type { Call } from "../core/call.js";
import type { RequestIterable } from "../core/types.js";
import type { WriteOptions } from "../core/write-options.js";
import type { CallFuture } from "./call-future.js";
import type { CallOptions } from "./call-options.js";
import type { ResponseStream } from "./response-stream.js";

/** A unary-unary method of a stub: call it, or use `withCall` / `future` for the Call. */
export interface UnaryUnaryMultiCallable<Req, Res> {
  /** Sends `request`; resolves with the response or rejects with an RpcError. */
  (request: Req, options?: CallOptions): Promise<Res>;
  /** Like calling it, but also gives the Call (metadata, code, details). */
  withCall(request: Req, options?: CallOptions): Promise<[Res, Call]>;
  /** Starts the call and returns at once. */
  future(request: Req, options?: CallOptions): CallFuture<Res>;
}

/** A unary-stream method of a stub: iterate what it returns. */
export interface UnaryStreamMultiCallable<Req, Res> {
  // biome-ignore lint/style/useShorthandFunctionType: an interface, like the other multi-callables.
  (request: Req, options?: CallOptions): ResponseStream<Res>;
}

/** A stream-unary method of a stub: pass any iterable of requests. */
export interface StreamUnaryMultiCallable<Req, Res> {
  (requests: RequestIterable<Req>, options?: CallOptions): Promise<Res>;
  /** The response and the Call (headers, trailers, status). */
  withCall(requests: RequestIterable<Req>, options?: CallOptions): Promise<[Res, Call]>;
  /** A CallFuture of the response, which can be cancelled. */
  future(requests: RequestIterable<Req>, options?: CallOptions): CallFuture<Res>;
}

/** A stream-stream (bidi) call started without a request iterable: write as you go. */
export interface DuplexCall<Req, Res> extends ResponseStream<Res> {
  /**
   * Sends one request; resolves when flow control accepts it, rejects if the RPC has ended.
   * `{ noCompress: true }` sends it uncompressed on a call that compresses.
   *
   * @example
   * const call = stub.Chat({ compression: Compression.Gzip });
   * await call.write(bigText);                         // gzipped
   * await call.write(jpeg, { noCompress: true });      // already compressed: sent as is
   */
  write(request: Req, options?: WriteOptions): Promise<void>;
  /** No more requests. */
  doneWriting(): void;
}

/** A stream-stream method of a stub: pass an iterable of requests, or none and `write()`. */
export interface StreamStreamMultiCallable<Req, Res> {
  (requests: RequestIterable<Req>, options?: CallOptions): ResponseStream<Res>;
  (options?: CallOptions): DuplexCall<Req, Res>;
}
