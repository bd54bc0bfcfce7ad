import { type Server, type ServerOptions, serverOver } from "../server/server.js";
import { serverLimits } from "../server/server-limits.js";
import { GrpcJsServerTransport } from "./server-transport.js";

/**
 * Creates a server, like grpcio's `grpc.server()`, serving over @grpc/grpc-js.
 *
 * @example
 * const srv = server();
 * addUsersServicerToServer(new UsersService(), srv);
 * const port = await srv.addInsecurePort("127.0.0.1:0");
 * await srv.start();
 */
export function server(options: ServerOptions = {}): Server {
  return serverOver(new GrpcJsServerTransport(serverLimits(options), { ...options.options }), options);
}
