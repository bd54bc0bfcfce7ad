import type { Compression } from "./compression.js";
import { ServerCredentials } from "./credentials.js";
import { GrpcJsServerTransport } from "./grpc-js/server-transport.js";
import { type HandlerErrorHook, runHandler } from "./handler-runner.js";
import type { GenericRpcHandler, HandlerCallDetails, RpcMethodHandler } from "./method-handlers.js";
import { ServerCallContext } from "./servicer-context.js";
import { StatusCode } from "./status-code.js";
import type { ServerCallTransport } from "./transport.js";
import type { MaybePromise } from "./types.js";

/** Chooses (or wraps) the handler of each incoming RPC; the first listed runs outermost. */
export interface ServerInterceptor {
  interceptService(
    continuation: (details: HandlerCallDetails) => MaybePromise<RpcMethodHandler | null>,
    details: HandlerCallDetails,
  ): MaybePromise<RpcMethodHandler | null>;
}

/** Options of `server()`. */
export interface ServerOptions {
  interceptors?: ServerInterceptor[] | undefined;
  /** Beyond this many RPCs in flight, new ones get RESOURCE_EXHAUSTED "Concurrent RPC limit exceeded!". */
  maximumConcurrentRpcs?: number | undefined;
  /** Accepted for grpcio parity; the grpc-js transport sends responses uncompressed. */
  compression?: Compression | undefined;
  /** grpc-js server options, e.g. `"grpc.max_receive_message_length"`. */
  options?: Record<string, string | number> | undefined;
  /** Called with the method path and the error whenever a handler throws (default: a process warning). */
  onHandlerError?: HandlerErrorHook | undefined;
}

/** A gRPC server, like grpcio's `grpc.server()`; make one with `server()`. */
export interface Server {
  /** Binds `address` without TLS; port 0 picks a free port. Resolves to the bound port. */
  addInsecurePort(address: string): Promise<number>;
  /** Binds `address` with TLS credentials from `sslServerCredentials`. */
  addSecurePort(address: string, credentials: ServerCredentials): Promise<number>;
  /** Starts serving; until then, RPCs are answered UNAVAILABLE. Allowed once. */
  start(): Promise<void>;
  /** Refuses new RPCs now; in-flight ones get `grace` seconds, then are cancelled (null: at once). Idempotent. */
  stop(grace: number | null): Promise<void>;
  /** Resolves true if `timeout` seconds passed first, false once the server has stopped. */
  waitForTermination(timeout?: number): Promise<boolean>;
  addGenericRpcHandlers(...handlers: GenericRpcHandler[]): void;
  /** Serves `handlers` (keyed by method name) for `serviceName`; they take precedence over generic handlers. */
  addRegisteredMethodHandlers(serviceName: string, handlers: Record<string, RpcMethodHandler>): void;
  [Symbol.asyncDispose](): Promise<void>;
}

type Route = { registered: RpcMethodHandler | null; generic: GenericRpcHandler[] };
type State = "new" | "started" | "stopping" | "stopped";

/**
 * Creates a server, like grpcio's `grpc.server()`.
 *
 * @example
 * const srv = server();
 * addUsersServicerToServer(new UsersService(), srv);
 * const port = await srv.addInsecurePort("127.0.0.1:0");
 * await srv.start();
 */
export function server(options: ServerOptions = {}): Server {
  return new RuntimeServer(options);
}

class RuntimeServer implements Server {
  readonly #transport: GrpcJsServerTransport;
  readonly #routes = new Map<string, Route>();
  readonly #active = new Set<ServerCallContext>();
  readonly #interceptors: ServerInterceptor[];
  readonly #maxConcurrent: number;
  readonly #onError: HandlerErrorHook;
  #state: State = "new";
  #stopped: Promise<void> | null = null;
  #stopTimers: NodeJS.Timeout[] = [];
  #terminated!: () => void;
  readonly #termination = new Promise<void>((resolve) => (this.#terminated = resolve));

  constructor(options: ServerOptions) {
    this.#transport = new GrpcJsServerTransport({ ...options.options });
    this.#interceptors = options.interceptors ?? [];
    this.#maxConcurrent = options.maximumConcurrentRpcs ?? Number.POSITIVE_INFINITY;
    this.#onError = options.onHandlerError ?? warnHandlerError;
  }

  addInsecurePort(address: string): Promise<number> {
    return this.#transport.bind(address, this.#transport.insecureCredentials());
  }

  addSecurePort(address: string, credentials: ServerCredentials): Promise<number> {
    if (!(credentials instanceof ServerCredentials)) {
      throw new TypeError("addSecurePort needs ServerCredentials, e.g. from sslServerCredentials()");
    }
    return this.#transport.bind(address, credentials.transportCredentials);
  }

  async start(): Promise<void> {
    if (this.#state !== "new") throw new Error("Cannot start already-started server!");
    this.#state = "started";
  }

  stop(grace: number | null): Promise<void> {
    if (this.#state === "stopped" && this.#stopped) return this.#stopped;
    const cancelAfterMs = grace === null ? 0 : Math.max(0, grace * 1000);
    this.#stopTimers.push(setTimeout(() => this.#cancelAll(), cancelAfterMs));
    if (this.#stopped) return this.#stopped;
    this.#state = "stopping";
    this.#stopped = this.#transport.shutdown().then(() => {
      this.#state = "stopped";
      for (const timer of this.#stopTimers) clearTimeout(timer);
      this.#stopTimers = [];
      this.#terminated();
    });
    return this.#stopped;
  }

  async waitForTermination(timeout?: number): Promise<boolean> {
    if (timeout === undefined) {
      await this.#termination;
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeout * 1000)));
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

  #route(path: string): Route {
    let route = this.#routes.get(path);
    if (!route) {
      route = { registered: null, generic: [] };
      this.#routes.set(path, route);
      this.#transport.register(path, (call) => void this.#serve(call));
    }
    return route;
  }

  async #serve(call: ServerCallTransport): Promise<void> {
    const context = new ServerCallContext(call);
    if (this.#state !== "started") {
      const details = this.#state === "new" ? "Server is not started" : "Server is shutting down";
      context.finish(StatusCode.UNAVAILABLE, details);
      return;
    }
    if (this.#active.size >= this.#maxConcurrent) {
      context.finish(StatusCode.RESOURCE_EXHAUSTED, "Concurrent RPC limit exceeded!");
      return;
    }
    this.#active.add(context);
    context.addCallback(() => this.#active.delete(context));
    let handler: RpcMethodHandler | null;
    try {
      handler = await this.#lookup({ method: call.method, invocationMetadata: call.metadata });
    } catch (error) {
      this.#onError(call.method, error);
      context.finish(StatusCode.UNKNOWN, "Error in service handler!");
      return;
    }
    if (handler === null) {
      context.finish(StatusCode.UNIMPLEMENTED, "Method not found!");
      return;
    }
    await runHandler(handler, call, context, this.#onError);
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
    const chain = this.#interceptors.reduceRight<(d: HandlerCallDetails) => MaybePromise<RpcMethodHandler | null>>(
      (next, interceptor) => (d) => interceptor.interceptService(next, d),
      route,
    );
    return chain(details);
  }

  #cancelAll(): void {
    for (const context of this.#active) context.cancel();
    this.#transport.forceShutdown();
  }
}

function warnHandlerError(method: string, error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.emitWarning(`tsgrpc: the handler of ${method} failed: ${text}`);
}
