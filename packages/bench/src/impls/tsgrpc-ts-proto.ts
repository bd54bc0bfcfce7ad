/** tsgrpc with `messages=ts-proto`: the same generated stub and servicer shape over ts-proto's messages. */
import { insecureChannel, server as makeServer } from "@tsgrpc/runtime";
import { addBenchServicerToServer, BenchStub } from "../gen-ts-proto/bench/v1/bench_grpc.js";
import { type Summary, User } from "../gen-ts-proto/bench/v1/bench.js";
import { type BenchClient, type BenchImpl, type BenchServer, sampleUser } from "../impl.js";
import { stubClient } from "./tsgrpc-client.js";
import { benchServicer } from "./tsgrpc-servicer.js";

/** The sample user as a ts-proto message (int64 as a number, ts-proto's default). */
const tsProtoUser: User = {
  username: sampleUser.username,
  userId: sampleUser.userId,
  email: sampleUser.email,
  tags: [...sampleUser.tags],
  createdAt: sampleUser.createdAtMs,
};

async function startServer(): Promise<BenchServer> {
  const srv = makeServer();
  const servicer = benchServicer(tsProtoUser, (count): Summary => ({ count }));
  addBenchServicerToServer(servicer.handlers, srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  return { port, sent: servicer.sent, stop: () => srv.stop(null) };
}

async function connect(port: number): Promise<BenchClient> {
  const channel = insecureChannel(`127.0.0.1:${port}`);
  return stubClient(new BenchStub(channel), channel, tsProtoUser);
}

const codec = {
  roundTrip(): number {
    const bytes = User.encode(tsProtoUser).finish();
    User.decode(bytes);
    return bytes.byteLength;
  },
};

/** tsgrpc's runtime with ts-proto's messages (`messages=ts-proto`). */
export const impl: BenchImpl = { startServer, connect, codec };
