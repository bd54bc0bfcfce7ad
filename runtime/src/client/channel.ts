import type { Call } from "../core/call.js";
import type { Compression } from "../core/compression.js";
import { ChannelConnectivity } from "../core/connectivity.js";
import { currentServicerContext } from "../core/current-servicer-context.js";
import { resolveDeadline } from "../core/deadline.js";
import { assertSendable, Metadata, toMetadata } from "../core/metadata.js";
import type { MethodDefinition } from "../core/method-definition.js";
import { StatusCode } from "../core/status-code.js";
import type { RequestIterable } from "../core/types.js";
import type { WriteOptions } from "../core/write-options.js";
import type { ClientTransport, StartCallOptions, TransportCall } from "../transport/transport.js";
import { type CallFuture, ClientCallFuture } from "./call-future.js";
import type { CallOptions } from "./call-options.js";
import type { ChannelOptions } from "./channel-options.js";
import { ClientCall } from "./client-call.js";
import type {
  DuplexCall,
  StreamStreamMultiCallable,
  StreamUnaryMultiCallable,
  UnaryStreamMultiCallable,
  UnaryUnaryMultiCallable,
} from "./multi-callable.js";
import { writeRequests } from "./request-writer.js";
import { ClientResponseStream, type ResponseStream } from "./response-stream.js";

export const channelBrand: unique symbol = Symbol.for("@tsgrpc/runtime/Channel") as never;

/**
 * A connection to a gRPC server, from which stubs are made (`new UsersStub(channel)`). Channels
 * come only from `insecureChannel` / `secureChannel` / `interceptChannel`.
 */
export interface Channel {
  /** Marks a channel made by the runtime. */
  readonly [channelBrand]: true;
  /** A unary-unary multi-callable for `method` (what generated stubs are made of). */
  unaryUnary<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): UnaryUnaryMultiCallable<ReqInit, Res>;
  /** A unary-stream multi-callable for `method`. */
  unaryStream<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): UnaryStreamMultiCallable<ReqInit, Res>;
  /** A stream-unary multi-callable for `method`. */
  streamUnary<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): StreamUnaryMultiCallable<ReqInit, Res>;
  /** A stream-stream multi-callable for `method`. */
  streamStream<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): StreamStreamMultiCallable<ReqInit, Res>;
  /** Calls `callback` with the current state now and on every change. */
  subscribe(callback: (state: ChannelConnectivity) => void, options?: { tryToConnect?: boolean }): void;
  /** Stops calling `callback`. */
  unsubscribe(callback: (state: ChannelConnectivity) => void): void;
  /** The current connectivity state; `tryToConnect` starts connecting from IDLE. */
  connectivity(tryToConnect?: boolean): ChannelConnectivity;
  /** Cancels active calls (CANCELLED) and closes the connection; later calls throw. Idempotent. */
  close(): void;
  /** Closes the channel (`using channel = insecureChannel(...)`). */
  [Symbol.dispose](): void;
}

/** A Channel over any ClientTransport: options, deadlines, call bookkeeping, close. */
export class RuntimeChannel implements Channel {
  readonly [channelBrand] = true as const;
  readonly #transport: ClientTransport;
  readonly #compression: Compression | null;
  readonly #active = new Set<ClientCall>();
  readonly #subscribers = new Map<(state: ChannelConnectivity) => void, { stop: () => void }>();
  #closed = false;

  constructor(transport: ClientTransport, options: ChannelOptions = {}) {
    this.#transport = transport;
    this.#compression = options.compression ?? null;
  }

  unaryUnary<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): UnaryUnaryMultiCallable<ReqInit, Res> {
    const start = (request: ReqInit, options: CallOptions): ClientCall => {
      const bytes = method.serializeRequest(request);
      return this.#start(method.path, options, (o) => this.#transport.start(method, o, bytes));
    };
    const future = (request: ReqInit, options: CallOptions = {}): CallFuture<Res> => {
      const call = start(request, options);
      return new ClientCallFuture(call, () => readOne(call, method.deserializeResponse));
    };
    // The plain `await stub.M(request)`, the most common call of all, needs no Future: the
    // response promise alone gives the same result and the same RpcError.
    const plain = (request: ReqInit, options: CallOptions = {}): Promise<Res> =>
      readOne(start(request, options), method.deserializeResponse);
    return withFutureForms(future, plain);
  }

  unaryStream<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): UnaryStreamMultiCallable<ReqInit, Res> {
    return (request: ReqInit, options: CallOptions = {}): ResponseStream<Res> => {
      const bytes = method.serializeRequest(request);
      const call = this.#start(method.path, options, (o) => this.#transport.start(method, o, bytes));
      return new ClientResponseStream(call, method.deserializeResponse);
    };
  }

  streamUnary<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): StreamUnaryMultiCallable<ReqInit, Res> {
    const future = (requests: RequestIterable<ReqInit>, options: CallOptions = {}): CallFuture<Res> => {
      const call = this.#start(method.path, options, (o) => this.#transport.start(method, o, null));
      void writeRequests(call, requests, method.serializeRequest);
      return new ClientCallFuture(call, () => readOne(call, method.deserializeResponse));
    };
    return withFutureForms(future);
  }

  streamStream<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): StreamStreamMultiCallable<ReqInit, Res> {
    const invoke = (
      requestsOrOptions?: RequestIterable<ReqInit> | CallOptions,
      maybeOptions?: CallOptions,
    ): ResponseStream<Res> & DuplexCall<ReqInit, Res> => {
      const hasRequests = isRequestIterable(requestsOrOptions);
      const options = (hasRequests ? maybeOptions : requestsOrOptions) ?? {};
      const call = this.#start(method.path, options, (o) => this.#transport.start(method, o, null));
      const stream = new ClientDuplexCall<ReqInit, Res>(call, method.serializeRequest, method.deserializeResponse);
      if (hasRequests) void writeRequests(call, requestsOrOptions, method.serializeRequest);
      return stream;
    };
    return invoke as StreamStreamMultiCallable<ReqInit, Res>;
  }

  connectivity(tryToConnect = false): ChannelConnectivity {
    return this.#closed ? ChannelConnectivity.SHUTDOWN : this.#transport.connectivity(tryToConnect);
  }

  subscribe(callback: (state: ChannelConnectivity) => void, options: { tryToConnect?: boolean } = {}): void {
    if (this.#subscribers.has(callback)) return;
    let stopped = false;
    this.#subscribers.set(callback, { stop: () => (stopped = true) });
    const watch = async () => {
      let state = this.connectivity(options.tryToConnect ?? false);
      callback(state);
      while (!stopped && state !== ChannelConnectivity.SHUTDOWN) {
        try {
          await this.#transport.watchConnectivity(state);
        } catch {
          return;
        }
        if (stopped) return;
        const next = this.connectivity();
        if (next !== state) callback((state = next));
      }
    };
    void watch();
  }

  unsubscribe(callback: (state: ChannelConnectivity) => void): void {
    this.#subscribers.get(callback)?.stop();
    this.#subscribers.delete(callback);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const call of this.#active) call.cancel();
    this.#active.clear();
    for (const { stop } of this.#subscribers.values()) stop();
    this.#subscribers.clear();
    this.#transport.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #start(path: string, options: CallOptions, open: (options: StartCallOptions) => TransportCall): ClientCall {
    if (this.#closed) throw new Error(`Cannot invoke RPC ${path} on closed channel!`);
    if (options.credentials !== undefined && !this.#transport.capabilities.callCredentials) {
      // grpcio fails such calls too: a token must not cross the network in clear text.
      throw new TypeError(`${path}: call credentials need a secure channel (secureChannel), not an insecure one`);
    }
    const metadata = options.metadata === undefined ? new Metadata() : toMetadata(options.metadata).clone();
    assertSendable(metadata, "request");
    const parent = options.parent === undefined ? currentServicerContext() : (options.parent ?? undefined);
    const parentRemaining = parent?.timeRemaining() ?? null;
    const deadline = resolveDeadline({
      timeout: options.timeout,
      deadline: options.deadline,
      parent: parentRemaining === null ? null : new Date(Date.now() + parentRemaining * 1000),
    });
    const transportCall = open({
      deadline,
      metadata,
      waitForReady: options.waitForReady ?? false,
      credentials: options.credentials ?? null,
      compression: options.compression ?? this.#compression,
    });
    const call = new ClientCall(path, transportCall, deadline);
    this.#active.add(call);
    const signals = [options.signal, parent?.signal].filter((s): s is AbortSignal => s !== undefined);
    const cancel = () => call.cancel();
    for (const signal of signals) {
      if (signal.aborted) call.cancel();
      else signal.addEventListener("abort", cancel, { once: true });
    }
    call.addCallback(() => {
      this.#active.delete(call);
      for (const signal of signals) signal.removeEventListener("abort", cancel);
    });
    return call;
  }
}

/** A bidi call's response stream that can also be written to (chat style). */
class ClientDuplexCall<Req, Res> extends ClientResponseStream<Res> implements DuplexCall<Req, Res> {
  readonly #serialize: (request: Req) => Uint8Array;
  #doneWriting = false;

  constructor(call: ClientCall, serialize: (request: Req) => Uint8Array, deserialize: (bytes: Uint8Array) => Res) {
    super(call, deserialize);
    this.#serialize = serialize;
  }

  async write(request: Req, options?: WriteOptions): Promise<void> {
    if (this.#doneWriting) throw new Error(`${this.call.method}: cannot write after doneWriting()`);
    if (!this.call.isActive()) {
      await this.call.throwIfFailed();
      throw new Error(`${this.call.method}: cannot write, the RPC has ended`);
    }
    if (this.call.transport.write(this.#serialize(request), options)) return;
    await this.call.transport.drained();
    // Woken because the RPC ended, not because there was room: say how it ended.
    if (!this.call.isActive()) await this.call.throwIfFailed();
  }

  doneWriting(): void {
    if (this.#doneWriting) return;
    this.#doneWriting = true;
    this.call.transport.halfClose();
  }
}

/** Adds the plain-call and `withCall` forms to a `future` form. */
export function withFutureForms<Req, Res>(
  future: (request: Req, options?: CallOptions) => CallFuture<Res>,
  plain: (request: Req, options?: CallOptions) => Promise<Res> = (request, options) => future(request, options).result(),
): {
  (request: Req, options?: CallOptions): Promise<Res>;
  withCall: (request: Req, options?: CallOptions) => Promise<[Res, Call]>;
  future: typeof future;
} {
  const call = (request: Req, options?: CallOptions) => plain(request, options);
  const withCall = async (request: Req, options?: CallOptions): Promise<[Res, Call]> => {
    const f = future(request, options);
    return [await f.result(), f];
  };
  return Object.assign(call, { withCall, future });
}

/** The single response of a unary-response call, or its RpcError. */
async function readOne<Res>(call: ClientCall, deserialize: (bytes: Uint8Array) => Res): Promise<Res> {
  const bytes = await call.transport.read();
  const status = await call.finished;
  if (status.code !== StatusCode.OK) throw call.error(status);
  if (bytes === null) {
    throw call.error({
      code: StatusCode.INTERNAL,
      details: "No response message received",
      trailingMetadata: status.trailingMetadata,
      debug: "",
    });
  }
  try {
    return deserialize(bytes);
  } catch (cause) {
    throw call.error(
      {
        code: StatusCode.INTERNAL,
        details: "Exception deserializing response!",
        trailingMetadata: status.trailingMetadata,
        debug: String(cause),
      },
      cause,
    );
  }
}

/** Tells a stream-stream call's request iterable from its options. */
export function isRequestIterable<T>(x: RequestIterable<T> | CallOptions | undefined): x is RequestIterable<T> {
  return typeof x === "object" && x !== null && (Symbol.iterator in x || Symbol.asyncIterator in x);
}
