/** tsgrpc with its default messages (protobuf-es), through the generated stub and servicer. */
import { create } from "@bufbuild/protobuf";
import { insecureChannel, server as makeServer, type ServicerContext } from "@tsgrpc/runtime";
import { addBenchServicerToServer, BenchServicer, BenchStub } from "../gen/bench/v1/bench_grpc.js";
import { type StreamRequest, SummarySchema, type User } from "../gen/bench/v1/bench_pb.js";
import type { BenchClient, BenchImpl, BenchServer } from "../impl.js";
import { impl as floor, esUser } from "./floor.js";

class Servicer extends BenchServicer {
  sent = 0;

  override Unary(request: User): User {
    return request;
  }

  override async *ServerStream(request: StreamRequest): AsyncGenerator<User> {
    for (let i = 0; i < request.count; i++) {
      this.sent++;
      yield esUser;
    }
  }

  override async ClientStream(requests: AsyncIterable<User>) {
    let count = 0;
    for await (const _ of requests) count++;
    return create(SummarySchema, { count });
  }

  override async *Bidi(requests: AsyncIterable<User>, _context: ServicerContext): AsyncGenerator<User> {
    yield* requests;
  }
}

async function startServer(stallMonitor = false): Promise<BenchServer> {
  const srv = makeServer(stallMonitor ? { stallMonitor: { thresholdMs: 200 } } : {});
  const servicer = new Servicer();
  addBenchServicerToServer(servicer, srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  return { port, sent: () => servicer.sent, stop: () => srv.stop(null) };
}

function* repeat(count: number): Generator<User> {
  for (let i = 0; i < count; i++) yield esUser;
}

async function connect(port: number): Promise<BenchClient> {
  return connectTo(`127.0.0.1:${port}`);
}

async function connectTo(target: string, options: Parameters<typeof insecureChannel>[1] = {}): Promise<BenchClient> {
  const channel = insecureChannel(target, options);
  const stub = new BenchStub(channel);
  return {
    unary: async () => {
      await stub.Unary(esUser);
    },
    serverStream: async (count) => {
      let received = 0;
      for await (const _ of stub.ServerStream({ count })) received++;
      return received;
    },
    clientStream: async (count) => (await stub.ClientStream(repeat(count))).count,
    bidi: async (count) => {
      const call = stub.Bidi();
      const replies = call[Symbol.asyncIterator]();
      let trips = 0;
      for (; trips < count; trips++) {
        await call.write(esUser);
        if ((await replies.next()).done) break;
      }
      call.doneWriting();
      await replies.next();
      return trips;
    },
    slowRead: async (count, durationMs, readIntervalMs) => {
      const end = performance.now() + durationMs;
      let read = 0;
      // Leaving the loop cancels the RPC.
      for await (const _ of stub.ServerStream({ count })) {
        read++;
        if (performance.now() >= end) break;
        await new Promise((resolve) => setTimeout(resolve, readIntervalMs));
      }
      return read;
    },
    close: () => void channel.close(),
  };
}

/** tsgrpc, default messages. Its codec is the floor's (both are protobuf-es). */
export const impl: BenchImpl = { startServer: () => startServer(), connect, codec: floor.codec };

/**
 * tsgrpc spread over several server processes: `BENCH_PORTS` (comma-separated, set by the
 * scale-out workload) lists them, and one channel balances over all with `round_robin`.
 */
export const roundRobinImpl: BenchImpl = {
  startServer: () => startServer(),
  connect: () => {
    const ports = (process.env.BENCH_PORTS ?? "").split(",").filter(Boolean);
    return connectTo(`ipv4:${ports.map((port) => `127.0.0.1:${port}`).join(",")}`, {
      options: { "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }) },
    });
  },
  codec: floor.codec,
};

/** tsgrpc with the stall monitor on (200 ms threshold): its overhead is the ratio to `impl`. */
export const stallImpl: BenchImpl = { startServer: () => startServer(true), connect, codec: floor.codec };
