/**
 * tsgrpc with its default messages (protobuf-es), as its users write it: the generated `BenchStub`
 * on the client, a class extending the generated `BenchServicer` on the server.
 */
import { create } from "@bufbuild/protobuf";
import { insecureChannel, server as makeServer, type ServerTransportName } from "@tsgrpc/runtime";
import { addBenchServicerToServer, BenchServicer, BenchStub } from "../gen/bench/v1/bench_grpc.js";
import { type StreamRequest, type Summary, SummarySchema, type User } from "../gen/bench/v1/bench_pb.js";
import type { BenchClient, BenchImpl, BenchServer } from "../impl.js";
import { esUser, impl as floorEs } from "./floor-es.js";
import { stubClient } from "./tsgrpc-client.js";

/** The Bench service; its Unary returns the request, as the tutorial's `SayHello` does. */
class BenchService extends BenchServicer {
  sent = 0;

  override Unary(request: User): User | Promise<User> {
    return request;
  }

  override async *ServerStream(request: StreamRequest): AsyncGenerator<User> {
    for (let i = 0; i < request.count; i++) {
      this.sent++;
      yield esUser;
    }
  }

  override async ClientStream(requests: AsyncIterable<User>): Promise<Summary> {
    let count = 0;
    for await (const _ of requests) count++;
    return create(SummarySchema, { count });
  }

  override async *Bidi(requests: AsyncIterable<User>): AsyncGenerator<User> {
    yield* requests;
  }
}

/** Unary as an `async` method, as the examples write their handlers: the runtime awaits its promise. */
class AsyncBenchService extends BenchService {
  override async Unary(request: User): Promise<User> {
    return request;
  }
}

async function startServer(
  options: { stallMonitor?: boolean; asyncUnary?: boolean; transport?: ServerTransportName } = {},
): Promise<BenchServer> {
  const srv = makeServer({
    ...(options.stallMonitor && { stallMonitor: { thresholdMs: 200 } }),
    ...(options.transport && { transport: options.transport }),
  });
  const service = options.asyncUnary ? new AsyncBenchService() : new BenchService();
  addBenchServicerToServer(service, srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  return { port, sent: () => service.sent, stop: () => srv.stop(null) };
}

async function connect(port: number): Promise<BenchClient> {
  return connectTo(`127.0.0.1:${port}`);
}

async function connectTo(target: string, options: Parameters<typeof insecureChannel>[1] = {}): Promise<BenchClient> {
  const channel = insecureChannel(target, options);
  return stubClient(new BenchStub(channel), channel, esUser);
}

/** tsgrpc, default messages, default (node-http2) server transport. Its codec is floor-es's (both are protobuf-es). */
export const impl: BenchImpl = { startServer: () => startServer(), connect, codec: floorEs.codec };

/** tsgrpc with its server on the grpc-js transport (`server({ transport: "grpc-js" })`); the same client. */
export const grpcJsImpl: BenchImpl = { startServer: () => startServer({ transport: "grpc-js" }), connect, codec: floorEs.codec };

/** tsgrpc with its client on the node-http2 transport (`insecureChannel(target, { transport: "node-http2" })`); the same server. */
export const nodeHttp2ClientImpl: BenchImpl = {
  startServer: () => startServer(),
  connect: (port) => connectTo(`127.0.0.1:${port}`, { transport: "node-http2" }),
  codec: floorEs.codec,
};

/** tsgrpc whose Unary handler is an `async` method (as in the examples): the runtime awaits its promise. */
export const asyncUnaryImpl: BenchImpl = { startServer: () => startServer({ asyncUnary: true }), connect, codec: floorEs.codec };

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
  codec: floorEs.codec,
};

/** tsgrpc with the stall monitor on (200 ms threshold): its overhead is the ratio to `impl`. */
export const stallImpl: BenchImpl = { startServer: () => startServer({ stallMonitor: true }), connect, codec: floorEs.codec };
