import type { Metadata } from "../core/metadata.js";
import type { ServicerContext } from "../core/servicer-context.js";
import type { MaybePromise, ResponseIterable } from "../core/types.js";

/** What a server interceptor learns of an incoming RPC before choosing its handler. */
export interface HandlerCallDetails {
  /** The full method path, `/package.Service/Method`. */
  method: string;
  /** The request metadata. */
  invocationMetadata: Metadata;
}

/** How a server serves one method: its shape, (de)serializers, and exactly one behaviour (grpcio's `RpcMethodHandler`). */
export interface RpcMethodHandler {
  /** Whether the client sends a stream of requests. */
  requestStreaming: boolean;
  /** Whether the server sends a stream of responses. */
  responseStreaming: boolean;
  /** Decodes a request from its bytes. */
  requestDeserializer: (bytes: Uint8Array) => unknown;
  /** Encodes a response to its bytes. */
  responseSerializer: (message: unknown) => Uint8Array;
  /** The behaviour of a unary-unary method, else null. */
  unaryUnary: ((request: unknown, context: ServicerContext) => MaybePromise<unknown>) | null;
  /** The behaviour of a unary-stream method, else null. */
  unaryStream: ((request: unknown, context: ServicerContext) => ResponseIterable<unknown>) | null;
  /** The behaviour of a stream-unary method, else null. */
  streamUnary: ((requests: AsyncIterable<unknown>, context: ServicerContext) => MaybePromise<unknown>) | null;
  /** The behaviour of a stream-stream method, else null. */
  streamStream: ((requests: AsyncIterable<unknown>, context: ServicerContext) => ResponseIterable<unknown>) | null;
}

/**
 * Serves a set of methods. grpc-js routes by path before any user code runs, so a generic handler
 * lists the full paths of the methods it may serve.
 */
export interface GenericRpcHandler {
  /** The full paths (`/package.Service/Method`) it may serve. */
  readonly methods: readonly string[];
  /** The handler for an incoming RPC, or null to leave it to the next generic handler. */
  service(details: HandlerCallDetails): RpcMethodHandler | null;
}

/** How a handler's messages cross the wire. */
export interface HandlerSerializers<Req, Res> {
  /** Decodes a request from its bytes. */
  requestDeserializer: (bytes: Uint8Array) => Req;
  /** Encodes a response to its bytes. */
  responseSerializer: (message: Res) => Uint8Array;
}

// Without serializers, bytes pass through unchanged (grpcio's behaviour).
const bytesIn = (bytes: Uint8Array): Uint8Array => bytes;
const bytesOut = (message: unknown): Uint8Array => {
  if (message instanceof Uint8Array) return message;
  throw new TypeError("a handler without a responseSerializer must return Uint8Array messages");
};

function handler(
  requestStreaming: boolean,
  responseStreaming: boolean,
  serializers: Partial<HandlerSerializers<never, never>>,
  behaviours: Pick<RpcMethodHandler, "unaryUnary" | "unaryStream" | "streamUnary" | "streamStream">,
): RpcMethodHandler {
  return {
    requestStreaming,
    responseStreaming,
    requestDeserializer: serializers.requestDeserializer ?? bytesIn,
    responseSerializer: (serializers.responseSerializer as ((m: unknown) => Uint8Array) | undefined) ?? bytesOut,
    ...behaviours,
  };
}

const none = { unaryUnary: null, unaryStream: null, streamUnary: null, streamStream: null };

/** A handler for a unary-unary method, like grpcio's `unary_unary_rpc_method_handler`. */
export function unaryUnaryRpcMethodHandler<Req, Res>(
  behavior: (request: Req, context: ServicerContext) => MaybePromise<Res>,
  serializers: Partial<HandlerSerializers<Req, Res>> = {},
): RpcMethodHandler {
  return handler(false, false, serializers as never, { ...none, unaryUnary: behavior as RpcMethodHandler["unaryUnary"] });
}

/** A handler for a unary-stream method. */
export function unaryStreamRpcMethodHandler<Req, Res>(
  behavior: (request: Req, context: ServicerContext) => ResponseIterable<Res>,
  serializers: Partial<HandlerSerializers<Req, Res>> = {},
): RpcMethodHandler {
  return handler(false, true, serializers as never, { ...none, unaryStream: behavior as RpcMethodHandler["unaryStream"] });
}

/** A handler for a stream-unary method. */
export function streamUnaryRpcMethodHandler<Req, Res>(
  behavior: (requests: AsyncIterable<Req>, context: ServicerContext) => MaybePromise<Res>,
  serializers: Partial<HandlerSerializers<Req, Res>> = {},
): RpcMethodHandler {
  return handler(true, false, serializers as never, { ...none, streamUnary: behavior as RpcMethodHandler["streamUnary"] });
}

/** A handler for a stream-stream method. */
export function streamStreamRpcMethodHandler<Req, Res>(
  behavior: (requests: AsyncIterable<Req>, context: ServicerContext) => ResponseIterable<Res>,
  serializers: Partial<HandlerSerializers<Req, Res>> = {},
): RpcMethodHandler {
  return handler(true, true, serializers as never, { ...none, streamStream: behavior as RpcMethodHandler["streamStream"] });
}

/**
 * A generic handler serving `handlers` (keyed by method name) of the service `service`
 * (`package.Service`), like grpcio's `method_handlers_generic_handler`.
 */
export function methodHandlersGenericHandler(service: string, handlers: Record<string, RpcMethodHandler>): GenericRpcHandler {
  const byPath = new Map(Object.entries(handlers).map(([name, h]) => [`/${service}/${name}`, h]));
  return {
    methods: [...byPath.keys()],
    service: (details) => byPath.get(details.method) ?? null,
  };
}
