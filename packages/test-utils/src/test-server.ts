import type { Channel, ChannelOptions, Server, ServerOptions } from "@tsgrpc/runtime";
import { insecureChannelUnderTest } from "./channel-under-test.js";
import { serverUnderTest } from "./server-under-test.js";

/** A started server on 127.0.0.1 with an ephemeral port (on the transport under test), and a channel to it (on the client transport under test). */
export interface TestServer {
  server: Server;
  port: number;
  target: string;
  channel: Channel;
  /** Closes the channel and stops the server at once. */
  close(): Promise<void>;
}

export async function startTestServer(
  setup: (server: Server) => void,
  options: ServerOptions = {},
  channelOptions: ChannelOptions = {},
): Promise<TestServer> {
  const srv = serverUnderTest({ logger: null, ...options });
  setup(srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  const target = `127.0.0.1:${port}`;
  const channel = insecureChannelUnderTest(target, channelOptions);
  return {
    server: srv,
    port,
    target,
    channel,
    async close() {
      channel.close();
      await srv.stop(null);
    },
  };
}
