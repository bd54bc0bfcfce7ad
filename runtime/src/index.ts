// @tsgrpc/runtime: Python grpcio's gRPC API in TypeScript, over @grpc/grpc-js.

// ---- For applications: client
export { insecureChannel, secureChannel, defaultChannelArguments } from "./grpc-js/channels.js";
export type { Channel, ChannelOptions } from "./channel.js";
export { channelReadyFuture } from "./channel-ready-future.js";
export { interceptChannel } from "./intercepted-channel.js";
export type { ClientCallDetails, ClientInterceptor } from "./client-interceptor.js";
export { callFutureFrom } from "./call-future-from.js";
export type { CallOptions } from "./call-options.js";
export type { Call, RpcContext } from "./call.js";
export type { CallFuture } from "./call-future.js";
export type { ResponseStream } from "./response-stream.js";
export type {
  DuplexCall,
  StreamStreamMultiCallable,
  StreamUnaryMultiCallable,
  UnaryStreamMultiCallable,
  UnaryUnaryMultiCallable,
} from "./multi-callable.js";
export { type Future, FutureCancelledError, FutureTimeoutError } from "./future.js";
export { type RequestWithOptions, withWriteOptions, type WriteOptions } from "./write-options.js";

// ---- For applications: server
export { server, type Server, type ServerInterceptor, type ServerOptions } from "./server.js";
export type { Logger } from "./logger.js";
export type { HandlerErrorHook } from "./handler-runner.js";
export type { ServicerContext, Status } from "./servicer-context.js";
export { statusDetailsKey, toStatus } from "./rich-status.js";
export { currentServicerContext } from "./deadline-propagation.js";
export { stallChannelName, type StallMonitorOptions, type StallReport, type StalledRpc } from "./stall-monitor.js";
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions, type WorkerRunOptions } from "./worker-pool.js";
export { addHealthServicer, type HealthController, ServingStatus } from "./health.js";
export { addReflection } from "./reflection.js";
export {
  type GenericRpcHandler,
  type HandlerCallDetails,
  type HandlerSerializers,
  methodHandlersGenericHandler,
  type RpcMethodHandler,
  streamStreamRpcMethodHandler,
  streamUnaryRpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "./method-handlers.js";

// ---- For both sides
export { StatusCode, statusCodeName } from "./status-code.js";
export { RpcError, type RichStatus, type RpcErrorOptions, type StatusDetail } from "./rpc-error.js";
export { Metadata, type MetadataInit, type MetadataValue } from "./metadata.js";
export { Compression } from "./compression.js";
export { ChannelConnectivity } from "./connectivity.js";
export { CallCredentials, ChannelCredentials, ServerCredentials } from "./credentials.js";
export {
  accessTokenCallCredentials,
  type AuthMetadataContext,
  type AuthMetadataPlugin,
  compositeCallCredentials,
  compositeChannelCredentials,
  metadataCallCredentials,
  sslChannelCredentials,
  type SslChannelCredentialsOptions,
  sslServerCredentials,
} from "./grpc-js/credentials.js";
export type { MaybePromise, RequestIterable, ResponseIterable } from "./types.js";
export { runtimeVersion } from "./version.js";

// ---- For generated code (see ./codegen for the list the plugin imports)
export { assertRuntimeVersion } from "./version.js";
export { type AnyMethodDefinition, esMethod, type MethodDefinition } from "./method-definition.js";
export { servicerMethodHandlers } from "./servicer.js";
