import type { Server, ServerOptions } from "../server.js";
import { server } from "../../transports/server.js";

/**
 * `server()` on the transport the parent test runs on (`TSGRPC_TEST_SERVER_TRANSPORT`, passed down
 * by forkTs): the child servers' counterpart of test-utils' `serverUnderTest`.
 */
export function serverUnderTest(options: ServerOptions = {}): Server {
  const transport = process.env.TSGRPC_TEST_SERVER_TRANSPORT === "node-http2" ? "node-http2" : "grpc-js";
  return server({ transport, ...options });
}
