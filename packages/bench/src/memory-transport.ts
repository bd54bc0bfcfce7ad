/**
 * `npm run bench:memory`: the CPU one unary round trip costs in memory (`@tsgrpc/runtime/testing`'s
 * channel) and over 127.0.0.1 (the default server transport, the grpc-js client), client and
 * server in this one process, the same generated stub and service. Interleaved rounds, medians.
 */
import { insecureChannel, server } from "@tsgrpc/runtime";
import { testingServer } from "@tsgrpc/runtime/testing";
import { addBenchServicerToServer, BenchServicer, BenchStub } from "./gen/bench/v1/bench_grpc.js";
import type { User } from "./gen/bench/v1/bench_pb.js";
import { esUser } from "./impls/floor-es.js";

class EchoService extends BenchServicer {
  override Unary(request: User): User {
    return request;
  }
}

const calls = 5_000;
const rounds = 5;

/** CPU microseconds per call (user + system) of `calls` sequential calls, after as many to warm up. */
async function cpuPerCall(stub: BenchStub): Promise<number> {
  for (let i = 0; i < calls; i++) await stub.Unary(esUser);
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await stub.Unary(esUser);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const memory: number[] = [];
const loopback: number[] = [];
for (let round = 0; round < rounds; round++) {
  const t = await testingServer((s) => addBenchServicerToServer(new EchoService(), s));
  memory.push(await cpuPerCall(new BenchStub(t.channel)));
  await t.close();

  const srv = server();
  addBenchServicerToServer(new EchoService(), srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  const channel = insecureChannel(`127.0.0.1:${port}`);
  loopback.push(await cpuPerCall(new BenchStub(channel)));
  channel.close();
  await srv.stop(null);
}
const [m, l] = [median(memory), median(loopback)];
console.log(`unary round trip, client and server CPU together (median of ${rounds} rounds of ${calls} calls):`);
console.log(`  in memory:     ${m.toFixed(1)} µs`);
console.log(`  127.0.0.1:     ${l.toFixed(1)} µs`);
console.log(`  memory / 127.0.0.1: ${(m / l).toFixed(2)}×`);
