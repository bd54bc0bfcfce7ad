/** protobuf-ts: generic client over @protobuf-ts/grpc-transport, generic server via @protobuf-ts/grpc-backend. */
import * as grpc from "@grpc/grpc-js";
import { adaptService } from "@protobuf-ts/grpc-backend";
import { GrpcTransport } from "@protobuf-ts/grpc-transport";
import { sampleUser, type BenchImpl } from "../../src/impl";
import { Bench, User } from "./gen/protobuf-ts/bench/v1/bench";
import { BenchClient } from "./gen/protobuf-ts/bench/v1/bench.client";
import type { IBench } from "./gen/protobuf-ts/bench/v1/bench.server";
import { countAll, slowIterate } from "./ping-pong";

const user: User = { ...sampleUser, tags: [...sampleUser.tags], createdAt: BigInt(sampleUser.createdAtMs) };

export const impl: BenchImpl = {
  async startServer() {
    let sent = 0;
    const service: IBench = {
      async unary(request) {
        return request;
      },
      async serverStream(request, responses) {
        for (let i = 0; i < request.count; i++) {
          sent++;
          await responses.send(user);
        }
      },
      async clientStream(requests) {
        let count = 0;
        for await (const _ of requests) count++;
        return { count };
      },
      async bidi(requests, responses) {
        for await (const request of requests) await responses.send(request);
      },
    };
    const server = new grpc.Server();
    server.addService(...adaptService(Bench, service));
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return { port, sent: () => sent, stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
  },
  async connect(port) {
    const transport = new GrpcTransport({ host: `127.0.0.1:${port}`, channelCredentials: grpc.credentials.createInsecure() });
    const client = new BenchClient(transport);
    return {
      unary: async () => void (await client.unary(user).response),
      serverStream: (count) => countAll(client.serverStream({ count }).responses),
      clientStream: async (count) => {
        const call = client.clientStream();
        for (let i = 0; i < count; i++) await call.requests.send(user);
        await call.requests.complete();
        return (await call.response).count;
      },
      bidi: async (count) => {
        const call = client.bidi();
        const replies = call.responses[Symbol.asyncIterator]();
        let trips = 0;
        for (; trips < count; trips++) {
          await call.requests.send(user);
          if ((await replies.next()).done) break;
        }
        await call.requests.complete();
        await replies.next();
        return trips;
      },
      slowRead: async (count, durationMs, readIntervalMs) => {
        const abort = new AbortController();
        const call = client.serverStream({ count }, { abort: abort.signal });
        call.status.catch(() => {});
        call.headers.catch(() => {});
        call.trailers.catch(() => {});
        try {
          return await slowIterate(call.responses, durationMs, readIntervalMs);
        } finally {
          abort.abort();
        }
      },
      close: () => transport.close(),
    };
  },
  codec: {
    roundTrip() {
      const bytes = User.toBinary(user);
      User.fromBinary(bytes);
      return bytes.byteLength;
    },
  },
};
