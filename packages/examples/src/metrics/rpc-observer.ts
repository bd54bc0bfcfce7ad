import {
  type Call,
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
      const type = rpcType(handler.requestStreaming, handler.responseStreaming);
      const { service, method } = splitMethodPath(details.method);
      const track = (context: ServicerContext) => {
        const startedMs = performance.now();
        // After the RPC ends, context.code() is its final status.
        const ended = () => observe({ service, method, type, code: context.code() ?? StatusCode.OK, durationMs: performance.now() - startedMs });
        if (!context.addCallback(ended)) ended();
      };
      const wrap = <Args extends [unknown, ServicerContext], R>(behaviour: ((...args: Args) => R) | null) =>
        behaviour &&
        ((...args: Args): R => {
          track(args[1]);
          return behaviour(...args);
        });
      return {
        ...handler,
        unaryUnary: wrap(handler.unaryUnary),
        unaryStream: wrap(handler.unaryStream),
        streamUnary: wrap(handler.streamUnary),
        streamStream: wrap(handler.streamStream),
      } satisfies RpcMethodHandler;
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
  const track = <C extends Call>(path: string, type: RpcType, start: () => C): C => {
    const startedMs = performance.now();
    const call = start();
    const { service, method } = splitMethodPath(path);
    const ended = () => {
      const durationMs = performance.now() - startedMs;
      void call.code().then((code) => observe({ service, method, type, code, durationMs }));
    };
    if (!call.addCallback(ended)) ended();
    return call;
  };
  return {
    interceptUnaryUnary: (continuation, details, request) => track(details.method, "unary", () => continuation(details, request)),
    interceptUnaryStream: (continuation, details, request) =>
      track(details.method, "server_stream", () => continuation(details, request)),
    interceptStreamUnary: (continuation, details, requests) =>
      track(details.method, "client_stream", () => continuation(details, requests)),
    interceptStreamStream: (continuation, details, requests) =>
      track(details.method, "bidi_stream", () => continuation(details, requests)),
  };
}
