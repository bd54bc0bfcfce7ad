import {
  type Call,
  type ClientCallDetails,
  type ClientInterceptor,
  type HandlerCallDetails,
  type RpcMethodHandler,
  type ServerInterceptor,
  type ServicerContext,
  StatusCode,
} from "@tsgrpc/runtime";

/** The shape of an RPC, in the words Prometheus' gRPC metrics use. */
export type RpcType = "unary" | "server_stream" | "client_stream" | "bidi_stream";

/** What one finished RPC looked like: what metrics are made of. */
export interface RpcObservation {
  /** `users.Users` of `/users.Users/GetUsers`. */
  service: string;
  /** `GetUsers` of `/users.Users/GetUsers`. */
  method: string;
  type: RpcType;
  /** The final status code (on the client: as the client saw it). */
  code: StatusCode;
  /** From the start of the call (client) or of the handler (server) until the status. */
  durationMs: number;
}

/** Receives each finished RPC; must not throw (it runs in the RPC's completion callback). */
export type RpcObserver = (observation: RpcObservation) => void;

/** Splits `/pkg.Service/Method` into service and method. */
export function splitMethodPath(path: string): { service: string; method: string } {
  const slash = path.lastIndexOf("/");
  return { service: path.slice(1, slash), method: path.slice(slash + 1) };
}

function rpcType(requestStreaming: boolean, responseStreaming: boolean): RpcType {
  if (requestStreaming) return responseStreaming ? "bidi_stream" : "client_stream";
  return responseStreaming ? "server_stream" : "unary";
}

/**
 * `handler` with each behaviour run through `around(context, run)`: what a server interceptor
 * needs to act when an RPC starts (and, through `context.addCallback`, when it ends).
 */
export function aroundBehaviours(handler: RpcMethodHandler, around: <R>(context: ServicerContext, run: () => R) => R): RpcMethodHandler {
  const wrap = <Args extends [unknown, ServicerContext], R>(behaviour: ((...args: Args) => R) | null) =>
    behaviour && ((...args: Args): R => around(args[1], () => behaviour(...args)));
  return {
    ...handler,
    unaryUnary: wrap(handler.unaryUnary),
    unaryStream: wrap(handler.unaryStream),
    streamUnary: wrap(handler.streamUnary),
    streamStream: wrap(handler.streamStream),
  };
}

/**
 * A client interceptor that passes every call, of any kind, through `around(details, type, start)`;
 * `around` may change the details it gives `start`, and returns the call `start` returns.
 */
export function aroundCalls(
  around: <C extends Call>(details: ClientCallDetails, type: RpcType, start: (details: ClientCallDetails) => C) => C,
): ClientInterceptor {
  return {
    interceptUnaryUnary: (continuation, details, request) => around(details, "unary", (d) => continuation(d, request)),
    interceptUnaryStream: (continuation, details, request) => around(details, "server_stream", (d) => continuation(d, request)),
    interceptStreamUnary: (continuation, details, requests) => around(details, "client_stream", (d) => continuation(d, requests)),
    interceptStreamStream: (continuation, details, requests) => around(details, "bidi_stream", (d) => continuation(d, requests)),
  };
}

/** The shape of a method from its handler. */
export function rpcTypeOf(handler: RpcMethodHandler): RpcType {
  return rpcType(handler.requestStreaming, handler.responseStreaming);
}

/**
 * A server interceptor that tells `observe` about every RPC its handlers serve, once the RPC has
 * ended with its final status (including cancellation and deadlines), and how long it took.
 *
 * @example
 * const srv = server({ interceptors: [observingServerInterceptor(openTelemetryRecorder("server"))] });
 */
export function observingServerInterceptor(observe: RpcObserver): ServerInterceptor {
  return {
    async interceptService(continuation, details: HandlerCallDetails) {
      const handler = await continuation(details);
      if (handler === null) return null;
      const type = rpcTypeOf(handler);
      const { service, method } = splitMethodPath(details.method);
      return aroundBehaviours(handler, (context, run) => {
        const startedMs = performance.now();
        // After the RPC ends, context.code() is its final status.
        const ended = () =>
          observe({ service, method, type, code: context.code() ?? StatusCode.OK, durationMs: performance.now() - startedMs });
        if (!context.addCallback(ended)) ended();
        return run();
      });
    },
  };
}

/**
 * A client interceptor that tells `observe` about every call made through the channel, once the
 * call has ended, with the status the client saw and how long the call took.
 *
 * @example
 * const channel = interceptChannel(insecureChannel(target), observingClientInterceptor(openTelemetryRecorder("client")));
 */
export function observingClientInterceptor(observe: RpcObserver): ClientInterceptor {
  return aroundCalls((details, type, start) => {
    const startedMs = performance.now();
    const call = start(details);
    const { service, method } = splitMethodPath(details.method);
    const ended = () => {
      const durationMs = performance.now() - startedMs;
      void call.code().then((code) => observe({ service, method, type, code, durationMs }));
    };
    if (!call.addCallback(ended)) ended();
    return call;
  });
}
