// @tsgrpc/runtime: Python grpcio's gRPC API in TypeScript.

// ---- For applications: client
export { insecureChannel, secureChannel, defaultChannelArguments, clientTransportNames } from "./transports/channel.js";
export type { Channel } from "./client/channel.js";
export type { ChannelOptions, ClientTransportName } from "./client/channel-options.js";
export { channelReadyFuture } from "./client/channel-ready-future.js";
export { interceptChannel } from "./client/intercepted-channel.js";
export type { ClientCallDetails, ClientInterceptor } from "./client/client-interceptor.js";
export { callFutureFrom } from "./client/call-future-from.js";
export type { CallOptions } from "./client/call-options.js";
export type { Call, RpcContext } from "./core/call.js";
export type { CallFuture } from "./client/call-future.js";
export type { ResponseStream } from "./client/response-stream.js";
export type {
  DuplexCall,
  StreamStreamMultiCallable,
  StreamUnaryMultiCallable,
  UnaryStreamMultiCallable,
  UnaryUnaryMultiCallable,
} from "./client/multi-callable.js";
export { type Future, FutureCancelledError, FutureTimeoutError } from "./core/future.js";
export { type RequestWithOptions, withWriteOptions, type WriteOptions } from "./core/write-options.js";

// ---- For applications: server
export { server, serverTransportNames } from "./transports/server.js";
export type { Server, ServerInterceptor, ServerOptions, ServerTransportName } from "./server/server.js";
export type { ServerLimitOptions } from "./server/server-limits.js";
export type { Logger } from "./core/logger.js";
export type { HandlerErrorHook } from "./server/handler-runner.js";
export type { ServicerContext, Status } from "./core/servicer-context.js";
export { statusDetailsKey, toStatus } from "./core/rich-status.js";
export { currentServicerContext } from "./core/current-servicer-context.js";
export { stallChannelName, type StallMonitorOptions, type StallReport, type StalledRpc } from "./diagnostics/stall-monitor.js";
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions, type WorkerRunOptions } from "./diagnostics/worker-pool.js";
export { addHealthServicer, type HealthController, ServingStatus } from "./health/health.js";
export { addReflection } from "./reflection/reflection.js";
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

// ---- For both sides
export { StatusCode, statusCodeName } from "./core/status-code.js";
export { RpcError, type RichStatus, type RpcErrorOptions, type StatusDetail } from "./core/rpc-error.js";
export { Metadata, type MetadataInit, type MetadataValue } from "./core/metadata.js";
export { Compression } from "./core/compression.js";
export { ChannelConnectivity } from "./core/connectivity.js";
export {
  type ClientCertificatePolicy,
  type KeyCertificatePair,
  ServerCredentials,
  sslServerCredentials,
} from "./transport/server-credentials.js";
export {
  accessTokenCallCredentials,
  type AuthMetadataContext,
  type AuthMetadataPlugin,
  CallCredentials,
  ChannelCredentials,
  compositeCallCredentials,
  compositeChannelCredentials,
  metadataCallCredentials,
  sslChannelCredentials,
  type SslChannelCredentialsOptions,
} from "./transport/client-credentials.js";
export type { MaybePromise, RequestIterable, ResponseIterable } from "./core/types.js";
export { runtimeVersion } from "./core/version.js";

// ---- For generated code (see ./codegen for the list the plugin imports)
export { assertRuntimeVersion } from "./core/version.js";
export { type AnyMethodDefinition, esMethod, type MethodDefinition } from "./core/method-definition.js";
export { servicerMethodHandlers } from "./server/servicer.js";
