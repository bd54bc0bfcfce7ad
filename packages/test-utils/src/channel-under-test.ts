import {
  type Channel,
  type ChannelCredentials,
  type ChannelOptions,
  type ClientTransportName,
  insecureChannel,
  secureChannel,
} from "@tsgrpc/runtime";

/**
 * The client transport the real-server suites call over: `TSGRPC_TEST_CLIENT_TRANSPORT`, which the
 * node-http2 client projects set to "node-http2" (runtime/jest.node-http2-client.config.cjs); the
 * default, grpc-js, otherwise. The one switch: suites never pick a client transport themselves
 * unless a test is about one.
 */
export const testClientTransport: ClientTransportName =
  process.env.TSGRPC_TEST_CLIENT_TRANSPORT === "node-http2" ? "node-http2" : "grpc-js";

/** `insecureChannel(target, options)` over the client transport under test (an explicit `options.transport` wins). */
export function insecureChannelUnderTest(target: string, options: ChannelOptions = {}): Channel {
  return insecureChannel(target, { transport: testClientTransport, ...options });
}

/** `secureChannel(target, credentials, options)` over the client transport under test. */
export function secureChannelUnderTest(target: string, credentials: ChannelCredentials, options: ChannelOptions = {}): Channel {
  return secureChannel(target, credentials, { transport: testClientTransport, ...options });
}

/**
 * A test that needs what the node-http2 client gains in its step 2 (several addresses, balancing,
 * service-config retries): `it.failing` on that client, `it` on grpc-js's.
 */
export function needsClientStep2(name: string, test: () => Promise<void>, timeoutMs?: number): void {
  (testClientTransport === "node-http2" ? it.failing : it)(name, test, timeoutMs);
}
