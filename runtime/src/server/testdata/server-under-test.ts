import { server } from "../../transports/server.js";
import type { Server, ServerOptions } from "../server.js";

/**
 * `server()` on the transport the parent test runs on (`TSGRPC_TEST_SERVER_TRANSPORT`, passed down
 * by forkTs): the child servers' counterpart of test-utils' `serverUnderTest`.
 */
export function serverUnderTest(options: ServerOptions = {}): Server {
  const transport = process.env.TSGRPC_TEST_SERVER_TRANSPORT === "grpc-js" ? "grpc-js" : "node-http2";
  return server({ transport, ...options });
}
