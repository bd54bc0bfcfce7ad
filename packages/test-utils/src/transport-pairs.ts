import type { Channel, Server, ServerOptions } from "@tsgrpc/runtime";
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

/** test-utils' startTestServer on `transport`, whatever the switch says. */
function overNetwork(transport: "grpc-js" | "node-http2"): TransportPair["start"] {
  return (setup, options = {}) => startTestServer(setup, { ...options, transport });
}

/** Every pair of transports there is: the transport conformance suite runs each. */
export const transportPairs: readonly TransportPair[] = [
  { name: "grpc-js client → node-http2 server", start: overNetwork("node-http2") },
  { name: "grpc-js client → grpc-js server", start: overNetwork("grpc-js") },
  { name: "memory → memory", start: (setup, options = {}) => testingServer(setup, { logger: null, ...options }) },
];
