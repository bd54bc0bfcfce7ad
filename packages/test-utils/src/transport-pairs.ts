import type { Channel, ClientTransportName, Server, ServerOptions } from "@tsgrpc/runtime";
import { testingServer } from "@tsgrpc/runtime/testing";
import { startTestServer } from "./test-server.js";

/** A started server and a channel to it over one pair of transports. */
export interface PairedServer {
  server: Server;
  channel: Channel;
  /** Closes the channel and stops the server at once. */
  close(): Promise<void>;
}

/** A client transport and a server transport that every transport must behave the same over. */
export interface TransportPair {
  name: string;
  /** Starts a server (`setup` adds its handlers) and connects a channel to it. */
  start(setup: (server: Server) => void, options?: ServerOptions): Promise<PairedServer>;
}

/** test-utils' startTestServer on the `server` transport, with a channel over the `client` one, whatever the switches say. */
function overNetwork(client: ClientTransportName, server: "grpc-js" | "node-http2"): TransportPair["start"] {
  return (setup, options = {}) => startTestServer(setup, { ...options, transport: server }, { transport: client });
}

/** Every pair of transports there is: the transport conformance suite runs each. */
export const transportPairs: readonly TransportPair[] = [
  { name: "grpc-js client → node-http2 server", start: overNetwork("grpc-js", "node-http2") },
  { name: "grpc-js client → grpc-js server", start: overNetwork("grpc-js", "grpc-js") },
  { name: "node-http2 client → node-http2 server", start: overNetwork("node-http2", "node-http2") },
  { name: "node-http2 client → grpc-js server", start: overNetwork("node-http2", "grpc-js") },
  { name: "memory → memory", start: (setup, options = {}) => testingServer(setup, { logger: null, ...options }) },
];
