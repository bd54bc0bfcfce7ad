/** nice-grpc with ts-proto messages (outputServices=nice-grpc,generic-definitions). */
import { createChannel, createClient, createServer } from "nice-grpc";
import { sampleUser, type BenchImpl } from "../../src/impl";
import { BenchDefinition, User } from "./gen/ts-proto/bench/v1/bench";
import { countAll, pingPong, repeatAsync, slowIterate } from "./ping-pong";

const user: User = { ...sampleUser, tags: [...sampleUser.tags], createdAt: sampleUser.createdAtMs };

export const impl: BenchImpl = {
  async startServer() {
    let sent = 0;
    const server = createServer();
    server.add(BenchDefinition, {
      async unary(request) {
        return request;
      },
      async *serverStream(request) {
        for (let i = 0; i < request.count; i++) {
          sent++;
          yield user;
        }
      },
      async clientStream(requests) {
        let count = 0;
        for await (const _ of requests) count++;
        return { count };
      },
      async *bidi(requests) {
        for await (const request of requests) yield request;
      },
    });
    const port = await server.listen("127.0.0.1:0");
    return { port, sent: () => sent, stop: () => server.shutdown() };
  },
  async connect(port) {
    const channel = createChannel(`127.0.0.1:${port}`);
    const client = createClient(BenchDefinition, channel);
    return {
      unary: async () => void (await client.unary(user)),
      serverStream: (count) => countAll(client.serverStream({ count })),
      clientStream: async (count) => (await client.clientStream(repeatAsync(user, count))).count,
      bidi: (count) => pingPong((requests) => client.bidi(requests), user, count),
      slowRead: (count, durationMs, readIntervalMs) => slowIterate(client.serverStream({ count }), durationMs, readIntervalMs),
      close: () => channel.close(),
    };
  },
  codec: {
    roundTrip() {
      const bytes = User.encode(user).finish();
      User.decode(bytes);
      return bytes.byteLength;
    },
  },
};
