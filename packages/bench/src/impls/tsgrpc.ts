/** tsgrpc with its default messages (protobuf-es), through the generated stub and servicer. */
import { create } from "@bufbuild/protobuf";
import { insecureChannel, server as makeServer } from "@tsgrpc/runtime";
import { addBenchServicerToServer, BenchStub } from "../gen/bench/v1/bench_grpc.js";
import { SummarySchema } from "../gen/bench/v1/bench_pb.js";
import type { BenchClient, BenchImpl, BenchServer } from "../impl.js";
import { impl as floor, esUser } from "./floor.js";
import { stubClient } from "./tsgrpc-client.js";
import { benchServicer } from "./tsgrpc-servicer.js";

async function startServer(stallMonitor = false): Promise<BenchServer> {
  const srv = makeServer(stallMonitor ? { stallMonitor: { thresholdMs: 200 } } : {});
  const servicer = benchServicer(esUser, (count) => create(SummarySchema, { count }));
  addBenchServicerToServer(servicer.handlers, srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  return { port, sent: servicer.sent, stop: () => srv.stop(null) };
}

async function connect(port: number): Promise<BenchClient> {
  return connectTo(`127.0.0.1:${port}`);
}

async function connectTo(target: string, options: Parameters<typeof insecureChannel>[1] = {}): Promise<BenchClient> {
  const channel = insecureChannel(target, options);
  return stubClient(new BenchStub(channel), channel, esUser);
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
