/**
 * How one request message is written (grpc's write flags: C++ `WriteOptions`, grpc-js `WriteFlags`).
 * grpcio has no client-side form of it; its server side has `disable_next_message_compression()`.
 */
export interface WriteOptions {
  /**
   * Send this message uncompressed, on a call that compresses the others (`compression` in the
   * call's or the channel's options). Its frame's compressed flag is clear, so the server reads
   * it as is; on a call that does not compress it changes nothing.
   */
  noCompress?: boolean | undefined;
}

const requestWithOptionsKey: unique symbol = Symbol.for("@tsgrpc/runtime/RequestWithOptions") as never;

/** A request with its write options, as `withWriteOptions` makes it; a request iterable may yield it. */
export interface RequestWithOptions<Req> {
  /** Marks a request wrapped by `withWriteOptions`. */
  readonly [requestWithOptionsKey]: true;
  /** The request. */
  readonly request: Req;
  /** How it is written. */
  readonly options: WriteOptions;
}

/**
 * Marks one request of a request iterable with write options, for client-streaming and bidi calls
 * that are given their requests as an iterable (with `DuplexCall.write`, pass the options instead).
 *
 * @example
 * // The first message gzipped, the second sent as is:
 * await stub.Upload([first, withWriteOptions(second, { noCompress: true })], { compression: Compression.Gzip });
 */
export function withWriteOptions<Req>(request: Req, options: WriteOptions): RequestWithOptions<Req> {
  return { [requestWithOptionsKey]: true, request, options };
}

/** Splits what a request iterable yielded into the request and its write options, if any. */
export function unwrapRequest<Req>(item: Req | RequestWithOptions<Req>): [Req, WriteOptions | undefined] {
  // A brand rather than `instanceof`: one runtime loaded as ESM and as CJS still agrees.
  if (typeof item === "object" && item !== null && requestWithOptionsKey in item) {
    const wrapped = item as RequestWithOptions<Req>;
    return [wrapped.request, wrapped.options];
  }
  return [item as Req, undefined];
}
