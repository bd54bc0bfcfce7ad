import { type Channel, insecureChannel, type Server, type ServerOptions, server } from "@tsgrpc/runtime";
import { testingServer } from "@tsgrpc/runtime/testing";

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

function overNetwork(transport: "grpc-js" | "node-http2"): TransportPair["start"] {
  return async (setup, options = {}) => {
    const srv = server({ logger: null, ...options, transport });
    setup(srv);
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    const channel = insecureChannel(`127.0.0.1:${port}`);
    return {
      server: srv,
      channel,
      close: async () => {
        channel.close();
        await srv.stop(null);
      },
    };
  };
}

/** Every pair of transports there is: the transport conformance suite runs each. */
export const transportPairs: readonly TransportPair[] = [
  { name: "grpc-js client → node-http2 server", start: overNetwork("node-http2") },
  { name: "grpc-js client → grpc-js server", start: overNetwork("grpc-js") },
  {
    name: "memory → memory",
    start: async (setup, options = {}) => {
      const t = await testingServer(setup, { logger: null, ...options });
      return { server: t.server, channel: t.channel, close: () => t.close() };
    },
  },
];
