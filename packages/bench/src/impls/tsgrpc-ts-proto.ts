/** tsgrpc with `messages=ts-proto`: the same generated stub and servicer shape over ts-proto's messages. */
import { insecureChannel, server as makeServer } from "@tsgrpc/runtime";
import { type StreamRequest, type Summary, User } from "../gen-ts-proto/bench/v1/bench.js";
import { addBenchServicerToServer, BenchServicer, BenchStub } from "../gen-ts-proto/bench/v1/bench_grpc.js";
import type { BenchClient, BenchImpl, BenchServer } from "../impl.js";
import { tsProtoUser } from "./ts-proto-user.js";
import { stubClient } from "./tsgrpc-client.js";

class BenchService extends BenchServicer {
  sent = 0;

  override Unary(request: User): User {
    return request;
  }

  override async *ServerStream(request: StreamRequest): AsyncGenerator<User> {
    for (let i = 0; i < request.count; i++) {
      this.sent++;
      yield tsProtoUser;
    }
  }

  override async ClientStream(requests: AsyncIterable<User>): Promise<Summary> {
    let count = 0;
    for await (const _ of requests) count++;
    return { count };
  }

  override async *Bidi(requests: AsyncIterable<User>): AsyncGenerator<User> {
    yield* requests;
  }
}

async function startServer(): Promise<BenchServer> {
  const srv = makeServer();
  const service = new BenchService();
  addBenchServicerToServer(service, srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  return { port, sent: () => service.sent, stop: () => srv.stop(null) };
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
