import { refuseUnknownOptions } from "../core/unknown-options.js";
import { GrpcJsServerTransport } from "../grpc-js/server-transport.js";
import { NodeHttp2ServerTransport } from "../node-http2/server-transport.js";
import { type Server, type ServerOptions, type ServerTransportName, serverOver } from "../server/server.js";
import { serverLimits } from "../server/server-limits.js";
import { refuseGrpcJsArguments } from "./grpc-js-arguments.js";

/** The server transports `server({ transport })` takes; the first is the default. */
export const serverTransportNames: readonly ServerTransportName[] = ["node-http2", "grpc-js"];

// Every option, so that a misspelt one is refused by name rather than ignored.
const serverOptionKeys: Record<keyof ServerOptions, true> = {
  transport: true,
  interceptors: true,
  maximumConcurrentRpcs: true,
  compression: true,
  propagateDeadlines: true,
  stallMonitor: true,
  handlerTimeBudget: true,
  options: true,
  onHandlerError: true,
  logger: true,
  handlerErrorLogWindow: true,
  handlerErrorDetails: true,
  maxConcurrentStreams: true,
  handshakeTimeout: true,
  maxConnectionIdle: true,
  maxReceiveMessageLength: true,
  maxSendMessageLength: true,
  maxMetadataSize: true,
  keepaliveTime: true,
  keepaliveTimeout: true,
  minClientPingInterval: true,
  keepalivePermitWithoutCalls: true,
  maxPingStrikes: true,
  maxConnectionAge: true,
  maxConnectionAgeGrace: true,
};
const serverOptionNames = Object.keys(serverOptionKeys);

/** grpc-js channel arguments that have a typed option every transport honours. */
const neutralOptionOf: Record<string, string> = {
  "grpc.max_receive_message_length": "maxReceiveMessageLength",
  "grpc.max_send_message_length": "maxSendMessageLength",
  "grpc.max_metadata_size": "maxMetadataSize",
  "grpc.max_concurrent_streams": "maxConcurrentStreams",
  "grpc.max_connection_idle_ms": "maxConnectionIdle (seconds)",
  "grpc.keepalive_time_ms": "keepaliveTime (seconds)",
  "grpc.keepalive_timeout_ms": "keepaliveTimeout (seconds)",
  "grpc.keepalive_permit_without_calls": "keepalivePermitWithoutCalls",
  "grpc.http2.min_ping_interval_without_data_ms": "minClientPingInterval (seconds)",
  "grpc.http2.max_ping_strikes": "maxPingStrikes",
  "grpc.max_connection_age_ms": "maxConnectionAge (seconds)",
  "grpc.max_connection_age_grace_ms": "maxConnectionAgeGrace (seconds)",
};

/**
 * Creates a server, like grpcio's `grpc.server()`. It serves over tsgrpc's own gRPC transport on
 * `node:http2` unless `transport: "grpc-js"` picks @grpc/grpc-js's server (see docs/transports.md).
 *
 * @example
 * const srv = server();
 * addUsersServicerToServer(new UsersService(), srv);
 * const port = await srv.addInsecurePort("127.0.0.1:0");
 * await srv.start();
 */
export function server(options: ServerOptions = {}): Server {
  refuseUnknownOptions("server option", options, serverOptionNames);
  const transport = options.transport ?? "node-http2";
  const limits = serverLimits(options);
  switch (transport) {
    case "grpc-js":
      return serverOver(new GrpcJsServerTransport(limits, { ...options.options }), options);
    case "node-http2":
      refuseGrpcJsArguments("server({ options }) holds grpc-js channel arguments", options.options, neutralOptionOf);
      return serverOver(new NodeHttp2ServerTransport(limits), options);
    default:
      throw new TypeError(
        `Unknown server transport ${JSON.stringify(transport)}: the valid ones are ${serverTransportNames.map((name) => `"${name}"`).join(" and ")}`,
      );
  }
}
