import type { ChannelConnectivity } from "../core/connectivity.js";
import { resolveDeadline, secondsUntil } from "../core/deadline.js";
import { Metadata, toMetadata } from "../core/metadata.js";
import type { MethodDefinition } from "../core/method-definition.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { RequestIterable } from "../core/types.js";
import { type RequestWithOptions, type WriteOptions, withWriteOptions } from "../core/write-options.js";
import { CallDelegate } from "./call-delegate.js";
import type { CallFuture } from "./call-future.js";
import type { CallOptions } from "./call-options.js";
import { type Channel, channelBrand, isRequestIterable, withFutureForms } from "./channel.js";
import { type ClientCallDetails, type ClientInterceptor, interceptorMethods } from "./client-interceptor.js";
import type {
  DuplexCall,
  StreamStreamMultiCallable,
  StreamUnaryMultiCallable,
  UnaryStreamMultiCallable,
  UnaryUnaryMultiCallable,
} from "./multi-callable.js";
import { RequestQueue, WriteAfterEndError } from "./request-queue.js";
import type { ResponseStream } from "./response-stream.js";

/**
 * A channel whose calls pass through `interceptors` (the first listed runs outermost), like
 * grpcio's `intercept_channel`. Closing it closes `channel`.
 *
 * @example
 * const channel = interceptChannel(insecureChannel("localhost:50051"), authInterceptor, retryInterceptor);
 */
export function interceptChannel(channel: Channel, ...interceptors: ClientInterceptor[]): Channel {
  if (!(typeof channel === "object" && channel !== null && channel[channelBrand] === true)) {
    throw new TypeError("interceptChannel needs a Channel from insecureChannel, secureChannel or interceptChannel");
  }
  for (const interceptor of interceptors) {
    if (typeof interceptor !== "object" || interceptor === null || !interceptorMethods.some((k) => typeof interceptor[k] === "function")) {
      throw new TypeError(`a client interceptor must implement at least one of ${interceptorMethods.join(", ")}`);
    }
  }
  return interceptors.length === 0 ? channel : new InterceptedChannel(channel, interceptors);
}

type Link<R, In> = (details: ClientCallDetails, input: In) => R;
type Intercept<R, In> = (continuation: Link<R, In>, details: ClientCallDetails, input: In) => R;

class InterceptedChannel implements Channel {
  readonly [channelBrand] = true as const;
  readonly #inner: Channel;
  readonly #interceptors: ClientInterceptor[];

  constructor(inner: Channel, interceptors: ClientInterceptor[]) {
    this.#inner = inner;
    this.#interceptors = interceptors;
  }

  unaryUnary<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): UnaryUnaryMultiCallable<ReqInit, Res> {
    const start = this.#chain<CallFuture<Res>, ReqInit>(
      method.path,
      (i) => i.interceptUnaryUnary as Intercept<CallFuture<Res>, ReqInit> | undefined,
      (path, request, options) => this.#inner.unaryUnary(withPath(method, path)).future(request, options),
    );
    return withFutureForms(start);
  }

  unaryStream<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): UnaryStreamMultiCallable<ReqInit, Res> {
    return this.#chain<ResponseStream<Res>, ReqInit>(
      method.path,
      (i) => i.interceptUnaryStream as Intercept<ResponseStream<Res>, ReqInit> | undefined,
      (path, request, options) => this.#inner.unaryStream(withPath(method, path))(request, options),
    );
  }

  streamUnary<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): StreamUnaryMultiCallable<ReqInit, Res> {
    const start = this.#chain<CallFuture<Res>, RequestIterable<ReqInit>>(
      method.path,
      (i) => i.interceptStreamUnary as Intercept<CallFuture<Res>, RequestIterable<ReqInit>> | undefined,
      (path, requests, options) => this.#inner.streamUnary(withPath(method, path)).future(requests, options),
    );
    return withFutureForms(start);
  }

  streamStream<Req, Res, ReqInit, ResInit>(method: MethodDefinition<Req, Res, ReqInit, ResInit>): StreamStreamMultiCallable<ReqInit, Res> {
    const start = this.#chain<ResponseStream<Res>, RequestIterable<ReqInit>>(
      method.path,
      (i) => i.interceptStreamStream as Intercept<ResponseStream<Res>, RequestIterable<ReqInit>> | undefined,
      (path, requests, options) => this.#inner.streamStream(withPath(method, path))(requests, options),
    );
    const invoke = (requestsOrOptions?: RequestIterable<ReqInit> | CallOptions, maybeOptions?: CallOptions) => {
      if (isRequestIterable(requestsOrOptions)) return start(requestsOrOptions, maybeOptions);
      // Chat style: the interceptors see the queue write() feeds as the request iterable.
      const queue = new RequestQueue<ReqInit | RequestWithOptions<ReqInit>>();
      return new QueuedDuplexCall(method.path, start(queue, requestsOrOptions), queue);
    };
    return invoke as StreamStreamMultiCallable<ReqInit, Res>;
  }

  subscribe(callback: (state: ChannelConnectivity) => void, options?: { tryToConnect?: boolean }): void {
    this.#inner.subscribe(callback, options);
  }

  unsubscribe(callback: (state: ChannelConnectivity) => void): void {
    this.#inner.unsubscribe(callback);
  }

  connectivity(tryToConnect?: boolean): ChannelConnectivity {
    return this.#inner.connectivity(tryToConnect);
  }

  close(): void {
    this.#inner.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * The call as the interceptors see it: details from the options, then each interceptor that
   * handles this kind (first outermost), then `call` with the details they passed on.
   */
  #chain<R, In>(
    path: string,
    pick: (interceptor: ClientInterceptor) => Intercept<R, In> | undefined,
    call: (path: string, input: In, options: CallOptions) => R,
  ): (input: In, options?: CallOptions) => R {
    const interceptors = this.#interceptors;
    return (input, options = {}) => {
      const innermost: Link<R, In> = (details, value) => call(details.method, value, optionsFrom(details, options));
      const chain = interceptors.reduceRight<Link<R, In>>((next, interceptor) => {
        const intercept = pick(interceptor);
        return intercept ? (details, value) => intercept.call(interceptor, next, details, value) : next;
      }, innermost);
      return chain(detailsFrom(path, options), input);
    };
  }
}

/** `method` with another path, for interceptors that reroute a call. */
function withPath<D extends { path: string }>(method: D, path: string): D {
  return path === method.path ? method : { ...method, path };
}

/** The details of a call about to start: deadline as seconds left, a copy of the metadata. */
function detailsFrom(method: string, options: CallOptions): ClientCallDetails {
  const parentRemaining = options.parent?.timeRemaining() ?? null;
  const deadline = resolveDeadline({
    timeout: options.timeout,
    deadline: options.deadline,
    parent: parentRemaining === null ? null : new Date(Date.now() + parentRemaining * 1000),
  });
  return {
    method,
    timeout: secondsUntil(deadline),
    metadata: options.metadata === undefined ? new Metadata() : toMetadata(options.metadata).clone(),
    credentials: options.credentials ?? null,
    waitForReady: options.waitForReady ?? null,
    compression: options.compression ?? null,
  };
}

/** Call options from the details an interceptor passed on; signal and parent still apply. */
function optionsFrom(details: ClientCallDetails, original: CallOptions): CallOptions {
  const options: CallOptions = { metadata: details.metadata };
  if (details.timeout !== null) options.timeout = details.timeout;
  if (details.credentials !== null) options.credentials = details.credentials;
  if (details.waitForReady !== null) options.waitForReady = details.waitForReady;
  if (details.compression !== null) options.compression = details.compression;
  if (original.signal) options.signal = original.signal;
  if (original.parent) options.parent = original.parent;
  return options;
}

/** A chat-style call through interceptors: `write()` feeds the request queue they were given. */
class QueuedDuplexCall<Req, Res> extends CallDelegate implements DuplexCall<Req, Res> {
  readonly #method: string;
  protected readonly call: ResponseStream<Res>;
  readonly #queue: RequestQueue<Req | RequestWithOptions<Req>>;

  constructor(method: string, stream: ResponseStream<Res>, queue: RequestQueue<Req | RequestWithOptions<Req>>) {
    super();
    this.#method = method;
    this.call = stream;
    this.#queue = queue;
    const ended = () => void this.#endedError().then((error) => queue.fail(error));
    if (!stream.addCallback(ended)) ended();
  }

  async write(request: Req, options?: WriteOptions): Promise<void> {
    if (!this.call.isActive()) throw await this.#endedError();
    // The options travel with the request, through the interceptors, to the call that writes it.
    const item = options === undefined ? request : withWriteOptions(request, options);
    return this.#queue.push(item).catch((error: unknown) => {
      throw error instanceof WriteAfterEndError ? new Error(`${this.#method}: ${error.message}`) : error;
    });
  }

  doneWriting(): void {
    this.#queue.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<Res> {
    return this.call[Symbol.asyncIterator]();
  }

  /** What a write after the end rejects with: the RPC's error, or a plain one if it ended OK. */
  async #endedError(): Promise<Error> {
    const code = await this.call.code();
    if (code === StatusCode.OK) return new Error(`${this.#method}: cannot write, the RPC has ended`);
    return new RpcError(code, await this.call.details(), {
      method: this.#method,
      trailingMetadata: await this.call.trailingMetadata(),
    });
  }
}
