import { type Server, type ServerOptions, server } from "@tsgrpc/runtime";

/** The server transports the suites can run on. */
export type TestServerTransport = "grpc-js" | "node-http2";

/**
 * The server transport the real-server suites run on: `TSGRPC_TEST_SERVER_TRANSPORT`, which the
 * runtime's second jest project sets to "node-http2" (runtime/jest.node-http2.config.cjs); grpc-js
 * otherwise. The one switch: suites never pick a transport themselves unless a test is about one.
 */
export const testServerTransport: TestServerTransport =
  process.env.TSGRPC_TEST_SERVER_TRANSPORT === "node-http2" ? "node-http2" : "grpc-js";

/** `server(options)` on the transport under test (an explicit `options.transport` wins). */
export function serverUnderTest(options: ServerOptions = {}): Server {
  return server({ transport: testServerTransport, ...options });
}
