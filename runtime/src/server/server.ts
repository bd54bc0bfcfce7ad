import { Compression } from "../core/compression.js";
import { runWithoutServicerContext, runWithServicerContext } from "../core/current-servicer-context.js";
import { timeoutToMs } from "../core/deadline.js";
import { type Logger, processWarningLogger } from "../core/logger.js";
import type { Metadata } from "../core/metadata.js";
import { StatusCode } from "../core/status-code.js";
import { isPromiseLike, type MaybePromise } from "../core/types.js";
import { warnOnce } from "../core/warn-once.js";
import { StallMonitor, type StallMonitorOptions } from "../diagnostics/stall-monitor.js";
import { ServerCredentials } from "../transport/server-credentials.js";
import type { ServerCallTransport, ServerTransport } from "../transport/transport.js";
import { defaultHandlerErrorLogWindow, HandlerErrorLog } from "./handler-error-log.js";
import { type HandlerErrorHook, runHandler } from "./handler-runner.js";
import type { GenericRpcHandler, HandlerCallDetails, RpcMethodHandler } from "./method-handlers.js";
import { ServerCallContext, warnCompressionIgnored } from "./server-call-context.js";
import type { ServerLimitOptions } from "./server-limits.js";

/** Chooses (or wraps) the handler of each incoming RPC; the first listed runs outermost. */
export interface ServerInterceptor {
  /** Returns the handler for the RPC `details` describe: `continuation(details)`'s, a wrapped one, or null (UNIMPLEMENTED). */
  interceptService(
    continuation: (details: HandlerCallDetails) => MaybePromise<RpcMethodHandler | null>,
    details: HandlerCallDetails,
  ): MaybePromise<RpcMethodHandler | null>;
}

/** The HTTP/2 implementations a server can run on. */
export type ServerTransportName = "grpc-js" | "node-http2";

/** Options of `server()`. */
export interface ServerOptions extends ServerLimitOptions {
  /**
   * What serves HTTP/2: `"node-http2"` (the default: tsgrpc's own gRPC layer on `node:http2`) or
   * `"grpc-js"` (@grpc/grpc-js's server). See docs/transports.md for what each supports.
   */
  transport?: ServerTransportName | undefined;
  /** Server interceptors for every RPC; the first listed runs outermost. */
  interceptors?: ServerInterceptor[] | undefined;
  /** Beyond this many RPCs in flight, new ones get RESOURCE_EXHAUSTED "Concurrent RPC limit exceeded!". */
  maximumConcurrentRpcs?: number | undefined;
  /**
   * Compresses every response with this algorithm, as grpcio's `compression` (a handler may change
   * it per RPC with `context.setCompression()`; a client that does not list the algorithm in its
   * `grpc-accept-encoding` gets identity). gzip and deflate run at level 1, and messages under 256
   * bytes go uncompressed (docs/transports.md says why). Honoured by the default transport; the
   * grpc-js one cannot compress responses and warns once.
   */
  compression?: Compression | undefined;
  /**
   * Calls made while a handler of this server runs (stub calls without a `parent` option) inherit
   * the remaining deadline of the RPC being served and are cancelled with it, through
   * AsyncLocalStorage. Off by default: it slows promise-heavy code (see docs). A call opts out
   * with `parent: null`.
   */
  propagateDeadlines?: boolean | undefined;
  /**
   * Reports event-loop stalls longer than `thresholdMs` (default 200) while the server runs:
   * a `StallReport` on the diagnostics_channel `tsgrpc:stall`, a line on stderr from a watchdog
   * thread while the stall lasts, and a process warning naming the method paths in flight.
   * Off by default (`true` means the defaults). See docs/event-loop.md.
   */
  stallMonitor?: StallMonitorOptions | boolean | undefined;
  /**
   * Seconds every RPC may run, even when its client set no deadline: then it ends with
   * DEADLINE_EXCEEDED and `context.signal` aborts. An earlier client deadline still wins.
   */
  handlerTimeBudget?: number | undefined;
  /**
   * grpc-js channel arguments, e.g. `"grpc.keepalive_time_ms"`, read by the grpc-js transport only
   * (`transport: "grpc-js"`; given to the default transport they are an error naming the typed
   * option to use); they win over the options above.
   */
  options?: Record<string, string | number> | undefined;
  /**
   * Called with the method path and the original error for every error a handler (or an
   * interceptor) throws, other than an `RpcError` or `abort()`: for metrics or an error tracker.
   * The error is also logged, rate-limited (see `logger`); a throwing hook is logged, not raised.
   */
  onHandlerError?: HandlerErrorHook | undefined;
  /**
   * Where handler errors are logged (default: process warnings named `TsgrpcHandlerError`, on
   * stderr); null logs nothing. A logger of your own gets the same rate limiting (a flood costs as
   * much in a log file as on stderr); `handlerErrorLogWindow: 0` opts out of it.
   */
  logger?: Logger | null | undefined;
  /**
   * Seconds per summary of repeated handler errors (default 10). The first error of each method
   * and error class is logged with its stack; the next ones are counted, and once per window one
   * line gives the count ("the handler of /pkg.Users/CreateUser failed 1,932 more times with
   * TypeError in the last 10 s"). 0 logs every error with its stack. `onHandlerError` sees every
   * error either way.
   */
  handlerErrorLogWindow?: number | undefined;
  /**
   * The details sent to the client when a handler throws an error that is not an `RpcError`, in
   * place of grpcio's "Exception calling application: <the error's message>", e.g.
   * `"Internal error"` for a server facing untrusted clients. The code stays UNKNOWN (or the one
   * the handler set); the logger and `onHandlerError` still get the real error.
   */
  handlerErrorDetails?: string | undefined;
}

/** A gRPC server, like grpcio's `grpc.server()`; make one with `server()`. */
export interface Server {
  /** Binds `address` without TLS; port 0 picks a free port. Resolves to the bound port. */
  addInsecurePort(address: string): Promise<number>;
  /** Binds `address` with TLS credentials from `sslServerCredentials`. */
  addSecurePort(address: string, credentials: ServerCredentials): Promise<number>;
  /**
   * Serves new connections to every TLS port with `credentials` (a renewed certificate) without a
   * restart; open connections keep the certificate they were made with, as grpcio's
   * `dynamic_ssl_server_credentials` does. The client-certificate policy cannot change this way.
   *
   * @example
   * fs.watch("tls", () => srv.reloadCredentials(sslServerCredentials([{ privateKey: read("key.pem"), certificateChain: read("cert.pem") }])));
   */
  reloadCredentials(credentials: ServerCredentials): void;
  /** Starts serving; until then, RPCs are answered UNAVAILABLE. Allowed once. */
  start(): Promise<void>;
  /** Refuses new RPCs now; in-flight ones get `grace` seconds, then are cancelled (null: at once). Idempotent. */
  stop(grace: number | null): Promise<void>;
  /** Resolves true if `timeout` seconds passed first, false once the server has stopped. */
  waitForTermination(timeout?: number): Promise<boolean>;
  /** Serves the methods `handlers` list, each asked in turn for an RPC's handler. */
  addGenericRpcHandlers(...handlers: GenericRpcHandler[]): void;
  /** Serves `handlers` (keyed by method name) for `serviceName`; they take precedence over generic handlers. */
  addRegisteredMethodHandlers(serviceName: string, handlers: Record<string, RpcMethodHandler>): void;
  /** Stops the server at once (`await using srv = server()`). */
  [Symbol.asyncDispose](): Promise<void>;
}

type Route = { registered: RpcMethodHandler | null; generic: GenericRpcHandler[] };
type State = "new" | "started" | "stopping" | "stopped";

/**
 * A server over any ServerTransport: `server()` gives it the one `transport` names (transports/server.ts),
 * `@tsgrpc/runtime/testing` an in-memory one.
 */
export function serverOver(transport: ServerTransport, options: ServerOptions = {}): Server {
  return new RuntimeServer(transport, options);
}

class RuntimeServer implements Server {
  readonly #transport: ServerTransport;
  readonly #routes = new Map<string, Route>();
  readonly #active = new Set<ServerCallContext>();
  readonly #interceptors: ServerInterceptor[];
  readonly #maxConcurrent: number;
  readonly #onError: HandlerErrorHook;
  readonly #errorLog: HandlerErrorLog;
  readonly #errorDetails: string | null;
  readonly #propagate: boolean;
  readonly #monitor: StallMonitor | null;
  readonly #timeBudget: number | null;
  // The server-wide response compression, given to each call (null: none, or the transport cannot).
  readonly #compression: Compression | null;
  #state: State = "new";
  #stopped: Promise<void> | null = null;
  #stopTimer: NodeJS.Timeout | undefined;
  #cancelAtMs = Number.POSITIVE_INFINITY;
  #terminated!: () => void;
  readonly #termination = new Promise<void>((resolve) => (this.#terminated = resolve));

  constructor(transport: ServerTransport, options: ServerOptions) {
    this.#transport = transport;
    this.#interceptors = [...(options.interceptors ?? [])];
    const max = options.maximumConcurrentRpcs;
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
      throw new RangeError(`maximumConcurrentRpcs must be a positive integer, got ${String(max)}`);
    }
    this.#maxConcurrent = max ?? Number.POSITIVE_INFINITY;
    this.#errorLog = new HandlerErrorLog(loggerOption(options.logger), windowOption(options.handlerErrorLogWindow));
    this.#onError = reportingTo(this.#errorLog, options.onHandlerError);
    this.#errorDetails = detailsOption(options.handlerErrorDetails);
    this.#propagate = options.propagateDeadlines ?? false;
    const budget = options.handlerTimeBudget;
    if (budget !== undefined && !(typeof budget === "number" && budget > 0)) {
      throw new RangeError(`handlerTimeBudget must be a positive number of seconds, got ${String(budget)}`);
    }
    this.#timeBudget = budget ?? null;
    const stall = options.stallMonitor;
    this.#monitor = stall === undefined || stall === false ? null : new StallMonitor(stall === true ? {} : stall);
    const compression = options.compression ?? Compression.NoCompression;
    const { capabilities } = transport;
    if (compression !== Compression.NoCompression && !capabilities.responseCompression) warnCompressionIgnored(capabilities);
    this.#compression = compression !== Compression.NoCompression && capabilities.responseCompression ? compression : null;
    if (!capabilities.pingPolicing && (options.minClientPingInterval !== undefined || options.maxPingStrikes !== undefined)) {
      warnOnce(
        `tsgrpc: minClientPingInterval and maxPingStrikes are not honoured on the ${capabilities.name} transport, which does not police client PINGs`,
      );
    }
  }

  addInsecurePort(address: string): Promise<number> {
    return this.#transport.bind(address, null);
  }

  addSecurePort(address: string, credentials: ServerCredentials): Promise<number> {
    if (!(credentials instanceof ServerCredentials)) {
      throw new TypeError("addSecurePort needs ServerCredentials, e.g. from sslServerCredentials()");
    }
    return this.#transport.bind(address, credentials);
  }

  reloadCredentials(credentials: ServerCredentials): void {
    if (!(credentials instanceof ServerCredentials)) {
      throw new TypeError("reloadCredentials needs ServerCredentials, e.g. from sslServerCredentials()");
    }
    this.#transport.reloadCredentials(credentials);
  }

  async start(): Promise<void> {
    if (this.#state !== "new") throw new Error("Cannot start already-started server!");
    this.#state = "started";
    this.#monitor?.start();
  }

  stop(grace: number | null): Promise<void> {
    if (grace !== null && (typeof grace !== "number" || Number.isNaN(grace))) {
      throw new TypeError(`grace must be a number of seconds or null, got ${String(grace)}`);
    }
    if (!this.#stopped) {
      this.#state = "stopping";
      this.#stopped = this.#transport.shutdown().then(async () => {
        await this.#monitor?.stop();
        this.#errorLog.close();
        this.#state = "stopped";
        clearTimeout(this.#stopTimer);
        this.#terminated();
      });
    }
    // Every call may shorten the grace period, never lengthen it (grpcio: the most restrictive wins).
    const cancelAtMs = grace === null ? Date.now() : Date.now() + Math.max(0, grace * 1000);
    if (this.#state !== "stopped" && cancelAtMs < this.#cancelAtMs) {
      this.#cancelAtMs = cancelAtMs;
      clearTimeout(this.#stopTimer);
      if (grace === null || grace <= 0) this.#cancelAll();
      else this.#stopTimer = setTimeout(() => this.#cancelAll(), timeoutToMs(grace));
    }
    return this.#stopped;
  }

  async waitForTermination(timeout?: number): Promise<boolean> {
    if (timeout === undefined) {
      await this.#termination;
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutToMs(timeout))));
    try {
      return await Promise.race([this.#termination.then(() => false), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  addGenericRpcHandlers(...handlers: GenericRpcHandler[]): void {
    for (const handler of handlers) {
      for (const path of handler.methods) this.#route(path).generic.push(handler);
    }
  }

  addRegisteredMethodHandlers(serviceName: string, handlers: Record<string, RpcMethodHandler>): void {
    for (const [name, handler] of Object.entries(handlers)) {
      this.#route(`/${serviceName}/${name}`).registered = handler;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop(null);
  }

  /** The route of `path`, registered with the transport on first use. */
  #route(path: string): Route {
    let route = this.#routes.get(path);
    if (!route) {
      route = { registered: null, generic: [] };
      this.#routes.set(path, route);
      this.#transport.register(path, (call) => {
        if (this.#compression !== null) call.setCompression?.(this.#compression);
        const context = new ServerCallContext(call, this.#transport.capabilities);
        // #serve never throws by design; the catch keeps a bug from crashing or becoming an unhandled rejection.
        const crashed = (error: unknown) => {
          this.#onError(call.method, error);
          context.finish(StatusCode.INTERNAL, "Internal error in the server");
        };
        const serve = () => {
          try {
            this.#serve(call, context)?.then(undefined, crashed);
          } catch (error) {
            crashed(error);
          }
        };
        if (this.#propagate) runWithServicerContext(context, serve);
        else runWithoutServicerContext(serve);
      });
    }
    return route;
  }

  /** Serves one RPC; synchronous as far as its handler is, a promise only when something waits. */
  #serve(call: ServerCallTransport, context: ServerCallContext): Promise<void> | undefined {
    if (this.#state !== "started") {
      const details = this.#state === "new" ? "Server is not started" : "Server is shutting down";
      context.finish(StatusCode.UNAVAILABLE, details);
      return undefined;
    }
    if (this.#active.size >= this.#maxConcurrent) {
      context.finish(StatusCode.RESOURCE_EXHAUSTED, "Concurrent RPC limit exceeded!");
      return undefined;
    }
    context.trackIn(this.#active);
    if (this.#monitor !== null) context.addCallback(this.#monitor.track(call.method, context.peer()));
    if (this.#timeBudget !== null) context.limitTime(this.#timeBudget);
    let found: MaybePromise<RpcMethodHandler | null>;
    try {
      found = this.#lookup(new CallDetails(call));
    } catch (error) {
      this.#lookupFailed(call, context, error);
      return undefined;
    }
    // Routes answer synchronously; only an interceptor may take its time.
    if (!isPromiseLike(found)) return this.#dispatch(found, call, context);
    return Promise.resolve(found).then(
      (handler) => this.#dispatch(handler, call, context),
      (error: unknown) => this.#lookupFailed(call, context, error),
    );
  }

  #lookupFailed(call: ServerCallTransport, context: ServerCallContext, error: unknown): void {
    this.#onError(call.method, error);
    context.finish(StatusCode.UNKNOWN, "Error in service handler!");
  }

  #dispatch(handler: RpcMethodHandler | null, call: ServerCallTransport, context: ServerCallContext): Promise<void> | undefined {
    if (handler === null || handler === undefined) {
      context.finish(StatusCode.UNIMPLEMENTED, "Method not found!");
      return undefined;
    }
    return runHandler(handler, call, context, this.#onError, this.#errorDetails);
  }

  /** The handler for an RPC: through the interceptors (first outermost), then the routes. */
  #lookup(details: HandlerCallDetails): MaybePromise<RpcMethodHandler | null> {
    const route = (d: HandlerCallDetails): RpcMethodHandler | null => {
      const found = this.#routes.get(d.method);
      if (!found) return null;
      if (found.registered) return found.registered;
      for (const generic of found.generic) {
        const handler = generic.service(d);
        if (handler) return handler;
      }
      return null;
    };
    if (this.#interceptors.length === 0) return route(details);
    const chain = this.#interceptors.reduceRight<(d: HandlerCallDetails) => MaybePromise<RpcMethodHandler | null>>(
      (next, interceptor) => (d) => interceptor.interceptService(next, d),
      route,
    );
    return chain(details);
  }

  #cancelAll(): void {
    for (const context of this.#active) context.cancel();
    setImmediate(() => this.#transport.forceShutdown());
  }
}

/**
 * What interceptors and generic handlers learn of an RPC; its metadata is converted only if one
 * reads it. A class, not an object literal with a getter: such a literal gets a hidden class of its
 * own each time, allocated where only a full GC frees it, and that kept every RPC's objects alive
 * past the young-generation GCs (2.4 MB promoted per scavenge at one call at a time, #29).
 */
class CallDetails implements HandlerCallDetails {
  readonly method: string;
  readonly #call: ServerCallTransport;

  constructor(call: ServerCallTransport) {
    this.method = call.method;
    this.#call = call;
  }

  get invocationMetadata(): Metadata {
    return this.#call.metadata;
  }
}

/**
 * Each handler error goes to the log (rate-limited) and to the hook (every one); what the hook
 * throws is logged instead of raised: a reporting hook must not take the server down.
 */
function reportingTo(log: HandlerErrorLog, hook: HandlerErrorHook | undefined): HandlerErrorHook {
  return (method, error) => {
    log.report(method, error);
    if (hook === undefined) return;
    try {
      hook(method, error);
    } catch (hookError) {
      log.report(method, hookError, "hook");
    }
  };
}

function loggerOption(logger: Logger | null | undefined): Logger | null {
  if (logger === undefined) return processWarningLogger;
  if (logger !== null && typeof logger.error !== "function") {
    throw new TypeError("logger must have an error(message) method (console, pino and winston loggers do), or be null");
  }
  return logger;
}

function detailsOption(details: string | undefined): string | null {
  if (details !== undefined && typeof details !== "string") {
    throw new TypeError(`handlerErrorDetails must be a string, got ${typeof details}`);
  }
  return details ?? null;
}

function windowOption(window: number | undefined): number {
  if (window === undefined) return defaultHandlerErrorLogWindow;
  if (!(typeof window === "number" && window >= 0 && Number.isFinite(window))) {
    throw new RangeError(`handlerErrorLogWindow must be a number of seconds (0 or more), got ${String(window)}`);
  }
  return window;
}
