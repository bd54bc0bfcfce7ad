import { type Server, type ServerOptions, server } from "@tsgrpc/runtime";

/** The server transports the suites can run on. */
export type TestServerTransport = "grpc-js" | "node-http2";

/**
 * The server transport the real-server suites run on: `TSGRPC_TEST_SERVER_TRANSPORT`, which the
 * runtime's second jest project sets to "grpc-js" (runtime/jest.grpc-js.config.cjs); the default,
 * node-http2, otherwise. The one switch: suites never pick a transport themselves unless a test is
 * about one.
 */
export const testServerTransport: TestServerTransport = process.env.TSGRPC_TEST_SERVER_TRANSPORT === "grpc-js" ? "grpc-js" : "node-http2";

/** `server(options)` on the transport under test (an explicit `options.transport` wins). */
export function serverUnderTest(options: ServerOptions = {}): Server {
  return server({ transport: testServerTransport, ...options });
}
