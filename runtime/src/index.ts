// @tsgrpc/runtime: Python grpcio's gRPC API in TypeScript, over @grpc/grpc-js.

export type { CallFuture } from "./client/call-future.js";
export { callFutureFrom } from "./client/call-future-from.js";
export type { CallOptions } from "./client/call-options.js";
export type { Channel, ChannelOptions } from "./client/channel.js";
export { channelReadyFuture } from "./client/channel-ready-future.js";
export type { ClientCallDetails, ClientInterceptor } from "./client/client-interceptor.js";
export { interceptChannel } from "./client/intercepted-channel.js";
export type {
  DuplexCall,
  StreamStreamMultiCallable,
  StreamUnaryMultiCallable,
  UnaryStreamMultiCallable,
  UnaryUnaryMultiCallable,
} from "./client/multi-callable.js";
export type { ResponseStream } from "./client/response-stream.js";
export type { Call, RpcContext } from "./core/call.js";
export { Compression } from "./core/compression.js";
export { ChannelConnectivity } from "./core/connectivity.js";
export { currentServicerContext } from "./core/current-servicer-context.js";
export { type Future, FutureCancelledError, FutureTimeoutError } from "./core/future.js";
export type { Logger } from "./core/logger.js";
export { Metadata, type MetadataInit, type MetadataValue } from "./core/metadata.js";
export { type AnyMethodDefinition, esMethod, type MethodDefinition } from "./core/method-definition.js";
export { statusDetailsKey, toStatus } from "./core/rich-status.js";
export { type RichStatus, RpcError, type RpcErrorOptions, type StatusDetail } from "./core/rpc-error.js";
export type { ServicerContext, Status } from "./core/servicer-context.js";
// ---- For both sides
export { StatusCode, statusCodeName } from "./core/status-code.js";
export type { MaybePromise, RequestIterable, ResponseIterable } from "./core/types.js";
// ---- For generated code (see ./codegen for the list the plugin imports)
export { assertRuntimeVersion, runtimeVersion } from "./core/version.js";
export { type RequestWithOptions, type WriteOptions, withWriteOptions } from "./core/write-options.js";
export { type StalledRpc, type StallMonitorOptions, type StallReport, stallChannelName } from "./diagnostics/stall-monitor.js";
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions, type WorkerRunOptions } from "./diagnostics/worker-pool.js";
// ---- For applications: client
export { defaultChannelArguments, insecureChannel, secureChannel } from "./grpc-js/channels.js";
export {
  type AuthMetadataContext,
  type AuthMetadataPlugin,
  accessTokenCallCredentials,
  compositeCallCredentials,
  compositeChannelCredentials,
  metadataCallCredentials,
  type SslChannelCredentialsOptions,
  sslChannelCredentials,
} from "./grpc-js/credentials.js";
export { addHealthServicer, type HealthController, ServingStatus } from "./health/health.js";
export { addReflection } from "./reflection/reflection.js";
export type { HandlerErrorHook } from "./server/handler-runner.js";
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
} from "./server/method-handlers.js";
export type { Server, ServerInterceptor, ServerOptions, ServerTransportName } from "./server/server.js";
export type { ServerLimitOptions } from "./server/server-limits.js";
export { servicerMethodHandlers } from "./server/servicer.js";
export {
  CallCredentials,
  ChannelCredentials,
  type ClientCertificatePolicy,
  type KeyCertificatePair,
  ServerCredentials,
  sslServerCredentials,
} from "./transport/credentials.js";
// ---- For applications: server
export { server, serverTransportNames } from "./transports/server.js";
