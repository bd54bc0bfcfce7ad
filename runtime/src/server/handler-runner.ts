import { isAbortError, RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import { isPromiseLike } from "../core/types.js";
import type { ServerCallTransport } from "../transport/transport.js";
import type { RpcMethodHandler } from "./method-handlers.js";
import type { ServerCallContext } from "./server-call-context.js";

/** Where the runner reports what it cannot send to the client: handler exceptions. */
export type HandlerErrorHook = (method: string, error: unknown) => void;

// grpcio's wording for each way a handler can fail (its grpc/_server.py sends the same texts).
const texts = {
  deserialize: "Exception deserializing request!",
  serialize: "Failed to serialize response!",
  unprintable: "Calling application raised unprintable Exception!",
};

/**
 * Runs one RPC: reads the request(s), calls the handler's behaviour, writes the response(s)
 * honouring flow control, and ends the RPC with the status grpcio would send. Never throws: a
 * handler's failure becomes a status, and is reported to `onError` with the method path.
 * `errorDetails`, if set, is sent in place of grpcio's "Exception calling application: <message>".
 */
export function runHandler(
  handler: RpcMethodHandler,
  transport: ServerCallTransport,
  context: ServerCallContext,
  onError: HandlerErrorHook,
  errorDetails: string | null = null,
): Promise<void> | undefined {
  return handler.unaryUnary && !handler.requestStreaming
    ? runUnaryUnary(handler, handler.unaryUnary, transport, context, onError, errorDetails)
    : runAnyHandler(handler, transport, context, onError, errorDetails);
}

/**
 * The same for a unary-unary handler, without an async frame: most RPCs are unary, and each
 * `await` of the general path costs them a suspended frame and a promise. Synchronous as far as
 * the request and the handler are; undefined when it finished without waiting.
 */
function runUnaryUnary(
  handler: RpcMethodHandler,
  behaviour: NonNullable<RpcMethodHandler["unaryUnary"]>,
  transport: ServerCallTransport,
  context: ServerCallContext,
  onError: HandlerErrorHook,
  errorDetails: string | null,
): Promise<void> | undefined {
  const failed = (error: unknown): void => {
    fail(error, "calling", context, onError, errorDetails);
  };
  const respond = (response: unknown): void => {
    try {
      respondOnce(response, handler, transport, context);
    } catch (error) {
      failed(error);
    }
  };
  const call = (request: unknown): Promise<void> | undefined => {
    if (request === noRequest) return undefined;
    let response: unknown;
    try {
      response = behaviour(request, context);
    } catch (error) {
      failed(error);
      return undefined;
    }
    if (isPromiseLike(response)) return Promise.resolve(response).then(respond, failed);
    respond(response);
    return undefined;
  };
  try {
    const read = readSingleRequest(handler, transport, context);
    // The runner's own promise, told apart with instanceof: a decoded request may be a thenable
    // itself. `call` catches what the handler throws, so only the read's rejection is left.
    return read instanceof Promise ? read.then(call, failed) : call(read);
  } catch (error) {
    failed(error);
    return undefined;
  }
}

async function runAnyHandler(
  handler: RpcMethodHandler,
  transport: ServerCallTransport,
  context: ServerCallContext,
  onError: HandlerErrorHook,
  errorDetails: string | null,
): Promise<void> {
  let phase: "calling" | "iterating" = "calling";
  try {
    if (handler.requestStreaming) {
      const requests = requestStream(handler, transport, context);
      if (handler.streamUnary) respondOnce(await handler.streamUnary(requests, context), handler, transport, context);
      else if (handler.streamStream) {
        const responses = await handler.streamStream(requests, context);
        phase = "iterating";
        await respondStream(responses, handler, transport, context, onError);
      }
      return;
    }
    // Unary-unary handlers take runUnaryUnary; what is left here is unary-stream.
    const read = readSingleRequest(handler, transport, context);
    // The runner's own promise (see runUnaryUnary): a decoded request may be a thenable itself.
    const request = read instanceof Promise ? await read : read;
    if (request === noRequest) return;
    if (handler.unaryStream) {
      // Awaited: an async function returning an iterable is a fine handler, and its rejection must not go unhandled.
      const responses = await handler.unaryStream(request, context);
      phase = "iterating";
      await respondStream(responses, handler, transport, context, onError);
    }
  } catch (error) {
    fail(error, phase, context, onError, errorDetails);
  } finally {
    // A handler that returned without the RPC having ended (no behaviour set) must still end it.
    context.finish(StatusCode.INTERNAL, `No behaviour to serve ${transport.method}`);
  }
}

const noRequest = Symbol("no request");

/** The one request of a unary-request method; grpcio insists on exactly one. Synchronous when it is buffered. */
function readSingleRequest(handler: RpcMethodHandler, transport: ServerCallTransport, context: ServerCallContext): unknown {
  const first = transport.readBuffered?.();
  if (first === undefined) {
    return transport.read().then((bytes) => readExtra(handler, transport, context, bytes));
  }
  return readExtra(handler, transport, context, first);
}

function readExtra(
  handler: RpcMethodHandler,
  transport: ServerCallTransport,
  context: ServerCallContext,
  first: Uint8Array | null,
): unknown {
  const extra = first === null ? null : transport.readBuffered?.();
  if (extra === undefined) {
    return transport.read().then((bytes) => checkSingle(handler, transport, context, first, bytes));
  }
  return checkSingle(handler, transport, context, first, extra);
}

function checkSingle(
  handler: RpcMethodHandler,
  transport: ServerCallTransport,
  context: ServerCallContext,
  first: Uint8Array | null,
  extra: Uint8Array | null,
): unknown {
  if (!context.isActive()) return noRequest;
  if (first === null || extra !== null) {
    context.finish(StatusCode.UNIMPLEMENTED, `"${transport.method}" requires exactly one request message.`);
    return noRequest;
  }
  try {
    return handler.requestDeserializer(first);
  } catch {
    context.finish(StatusCode.INTERNAL, texts.deserialize);
    return noRequest;
  }
}

/** The requests of a client-streaming or bidi method, decoded as the handler pulls them. */
function requestStream(handler: RpcMethodHandler, transport: ServerCallTransport, context: ServerCallContext): AsyncIterable<unknown> {
  const deliver = (bytes: Uint8Array | null): IteratorResult<unknown> => {
    if (!context.isActive()) throw context.signal.reason;
    if (bytes === null) return { done: true, value: undefined };
    try {
      return { done: false, value: handler.requestDeserializer(bytes) };
    } catch {
      // The status stays INTERNAL even if the handler catches this and carries on.
      context.setCode(StatusCode.INTERNAL);
      context.setDetails(texts.deserialize);
      throw new RpcError(StatusCode.INTERNAL, texts.deserialize, { method: transport.method });
    }
  };
  const iterator: AsyncIterableIterator<unknown> = {
    [Symbol.asyncIterator]: () => iterator,
    next() {
      // A request already buffered is delivered without waiting on the transport's promise.
      const buffered = transport.readBuffered?.();
      if (buffered === undefined) return transport.read().then(deliver);
      try {
        return Promise.resolve(deliver(buffered));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
  return iterator;
}

/** Sends a unary response, unless the handler set a code (then the message is dropped, as in grpcio). */
function respondOnce(response: unknown, handler: RpcMethodHandler, transport: ServerCallTransport, context: ServerCallContext): void {
  if (!context.isActive() || finishIfCodeSet(context)) return;
  if (response === undefined || response === null) {
    context.finish(
      StatusCode.INTERNAL,
      `${texts.serialize} The handler of ${transport.method} returned ${String(response)} instead of a response message`,
    );
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = handler.responseSerializer(response);
  } catch {
    context.finish(StatusCode.INTERNAL, texts.serialize);
    return;
  }
  context.markHeadersSent();
  transport.write(bytes, context.nextWriteOptions());
  context.finish(StatusCode.OK, context.details() ?? "");
}

/**
 * Sends each response of `responses` as the handler produces it. The next one is pulled only
 * after the transport accepted the last one (HTTP/2 flow control), so a slow client holds the
 * handler at its `yield` instead of growing a buffer; a sync iterable is written without any
 * await while the transport has room. On cancellation the iterator is closed, so a generator's
 * `finally` runs (once its pending `await`, if any, settles).
 */
async function respondStream(
  responses: unknown,
  handler: RpcMethodHandler,
  transport: ServerCallTransport,
  context: ServerCallContext,
  onError: HandlerErrorHook,
): Promise<void> {
  if (responses === undefined || responses === null) {
    if (finishIfCodeSet(context)) return;
    context.finish(
      StatusCode.INTERNAL,
      `The handler of ${transport.method} returned ${String(responses)} instead of an iterable of response messages`,
    );
    return;
  }
  const iterator = iteratorOf(responses, transport.method);
  const close = () => closeIterator(iterator, (error) => reportLate(error, context, onError));
  context.signal.addEventListener("abort", close, { once: true });
  let exhausted = false;
  try {
    for (;;) {
      const next = iterator.next();
      const result = isPromiseLike(next) ? await next : next;
      if (!context.isActive()) return;
      exhausted = result.done === true;
      const value = !exhausted && isPromiseLike(result.value) ? await result.value : result.value;
      // A yielded null/undefined ends the stream with OK, as a yielded None does in grpcio.
      if (exhausted || value === undefined || value === null || !context.isActive()) break;
      let bytes: Uint8Array;
      try {
        bytes = handler.responseSerializer(value);
      } catch {
        context.finish(StatusCode.INTERNAL, texts.serialize);
        return;
      }
      context.markHeadersSent();
      if (!transport.write(bytes, context.nextWriteOptions())) await transport.drained();
      if (!context.isActive()) return;
    }
    if (finishIfCodeSet(context)) return;
    context.finish(StatusCode.OK, context.details() ?? "");
  } finally {
    context.signal.removeEventListener("abort", close);
    if (!exhausted) close();
  }
}

/** Ends the RPC with the code the handler set or aborted with, if any; grpcio drops the response then. */
function finishIfCodeSet(context: ServerCallContext): boolean {
  const code = context.code();
  if (!context.aborted && (code === null || code === StatusCode.OK)) return false;
  context.finish(code ?? StatusCode.UNKNOWN, context.details() ?? "");
  return true;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

function iteratorOf(responses: unknown, method: string): AnyIterator {
  if (typeof responses === "object" && responses !== null) {
    if (Symbol.asyncIterator in responses) return (responses as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    if (Symbol.iterator in responses) return (responses as Iterable<unknown>)[Symbol.iterator]();
  }
  throw new TypeError(`the handler of ${method} must return an Iterable or AsyncIterable of responses, got ${typeof responses}`);
}

/** Closes a response iterator (runs a generator's `finally`); what that throws can only be reported. */
function closeIterator(iterator: AnyIterator, report: (error: unknown) => void): void {
  try {
    const closing = iterator.return?.();
    if (isPromiseLike(closing)) closing.then(undefined, report);
  } catch (error) {
    report(error);
  }
}

/** Ends the RPC after the handler threw, with the status grpcio's rules give. */
function fail(
  error: unknown,
  phase: "calling" | "iterating",
  context: ServerCallContext,
  onError: HandlerErrorHook,
  errorDetails: string | null,
): void {
  if (!context.isActive()) {
    reportLate(error, context, onError);
    return;
  }
  if (context.aborted) {
    context.finish(context.code() ?? StatusCode.UNKNOWN, context.details() ?? "");
    return;
  }
  if (error instanceof RpcError) {
    if (error.trailingMetadata().size > 0) context.setTrailingMetadata(error.trailingMetadata());
    context.finish(error.code(), error.details());
    return;
  }
  onError(context.method, error);
  const set = context.code();
  const code = set === null || set === StatusCode.OK ? StatusCode.UNKNOWN : set;
  const prefix = phase === "calling" ? "Exception calling application" : "Exception iterating responses";
  context.finish(code, context.details() ?? errorDetails ?? describe(error, prefix));
}

/**
 * Reports an error thrown after the RPC ended (cancelled or timed out): the handler's own errors
 * still deserve a report, the errors that honouring the signal produces do not.
 */
function reportLate(error: unknown, context: ServerCallContext, onError: HandlerErrorHook): void {
  if (error !== context.signal.reason && !(error instanceof RpcError) && !isAbortError(error)) onError(context.method, error);
}

function describe(error: unknown, prefix: string): string {
  try {
    return `${prefix}: ${error instanceof Error ? error.message : String(error)}`;
  } catch {
    return texts.unprintable;
  }
}
