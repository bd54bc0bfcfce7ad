/** Connect-ES v2: @connectrpc/connect-node, gRPC protocol only, protobuf-es messages (protoc-gen-es). */
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { connectNodeAdapter, createGrpcTransport } from "@connectrpc/connect-node";
import { sampleUser, type BenchImpl } from "../../src/impl";
import { Bench, SummarySchema, type User, UserSchema } from "./gen/es/bench/v1/bench_pb";
import { countAll, pingPong, repeatAsync, slowIterate } from "./ping-pong";

const user: User = create(UserSchema, { ...sampleUser, tags: [...sampleUser.tags], createdAt: BigInt(sampleUser.createdAtMs) });

export const impl: BenchImpl = {
  async startServer() {
    let sent = 0;
    const handler = connectNodeAdapter({
      grpc: true,
      grpcWeb: false,
      connect: false,
      routes: (router) =>
        router.service(Bench, {
          unary: (request) => request,
          async *serverStream(request) {
            for (let i = 0; i < request.count; i++) {
              sent++;
              yield user;
            }
          },
          async clientStream(requests) {
            let count = 0;
            for await (const _ of requests) count++;
            return create(SummarySchema, { count });
          },
          async *bidi(requests) {
            for await (const request of requests) yield request;
          },
        }),
    });
    const server = http2.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return { port, sent: () => sent, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  },
  async connect(port) {
    const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` });
    const client = createClient(Bench, transport);
    return {
      unary: async () => void (await client.unary(user)),
      serverStream: (count) => countAll(client.serverStream({ count })),
      clientStream: async (count) => (await client.clientStream(repeatAsync(user, count))).count,
      bidi: (count) => pingPong((requests) => client.bidi(requests), user, count),
      slowRead: async (count, durationMs, readIntervalMs) => {
        const abort = new AbortController();
        try {
          return await slowIterate(client.serverStream({ count }, { signal: abort.signal }), durationMs, readIntervalMs);
        } finally {
          abort.abort();
        }
      },
      close: () => {},
    };
  },
  codec: {
    roundTrip() {
      const bytes = toBinary(UserSchema, user);
      fromBinary(UserSchema, bytes);
      return bytes.byteLength;
    },
  },
};
