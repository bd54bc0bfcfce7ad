import {
  checkLeaksAfterAll,
  insecureChannelUnderTest,
  jsonMethod,
  settledHeapBytes,
  startTestServer,
  type TestServer,
  testClientTransport,
} from "@tsgrpc/test-utils";
import type { ServicerContext } from "../core/servicer-context.js";
import { servicerMethodHandlers } from "../server/servicer.js";
import type { Channel } from "./channel.js";

// Many mixed RPCs, a fair share of them cancelled one way or another, must leave nothing behind:
// no open handles (checkLeaksAfterAll) and no growth of the heap once garbage is collected.

interface Msg {
  n: number;
}

const methods = {
  Unary: jsonMethod<Msg, Msg>("/test.Soak/Unary"),
  ServerStream: jsonMethod<Msg, Msg>("/test.Soak/ServerStream", { responseStream: true }),
  ClientStream: jsonMethod<Msg, Msg>("/test.Soak/ClientStream", { requestStream: true }),
  Bidi: jsonMethod<Msg, Msg>("/test.Soak/Bidi", { requestStream: true, responseStream: true }),
};

const swallow = () => {};

checkLeaksAfterAll();

describe("soak: mixed RPCs with cancellations", () => {
  let t: TestServer;
  // Node's HTTP/2 server closes a connection whose client resets streams faster than a rate limit
  // (the "rapid reset" defence), so the cancellations are spread over a few connections (grpc-js
  // shares one connection between channels to a target unless each has its own subchannel pool).
  let channels: Channel[] = [];

  beforeAll(async () => {
    const servicer = {
      Unary: (r: Msg) => ({ n: r.n }),
      async *ServerStream(r: Msg, c: ServicerContext) {
        for (let i = 0; i < 5 && c.isActive(); i++) yield { n: r.n + i };
      },
      ClientStream: async (requests: AsyncIterable<Msg>) => {
        let n = 0;
        for await (const r of requests) n += r.n;
        return { n };
      },
      async *Bidi(requests: AsyncIterable<Msg>) {
        for await (const r of requests) yield r;
      },
    };
    t = await startTestServer((s) => s.addRegisteredMethodHandlers("test.Soak", servicerMethodHandlers(servicer, methods)));
    // grpc-js shares one connection between channels to a target unless told otherwise; the
    // node-http2 client gives each channel its own.
    const own = testClientTransport === "grpc-js" ? { options: { "grpc.use_local_subchannel_pool": 1 } } : {};
    channels = Array.from({ length: 4 }, () => insecureChannelUnderTest(t.target, own));
  });
  afterAll(async () => {
    for (const channel of channels) channel.close();
    await t.close();
  });

  /** One RPC of kind `i % 8`: every kind, ended normally, by cancel(), by a signal, by break or by a deadline. */
  async function oneRpc(i: number): Promise<void> {
    const c = channels[Math.floor(i / 8) % channels.length] as Channel;
    switch (i % 8) {
      case 0:
        await c.unaryUnary(methods.Unary)({ n: i });
        return;
      case 1: {
        const future = c.unaryUnary(methods.Unary).future({ n: i });
        future.cancel();
        await future.exception().catch(swallow);
        return;
      }
      case 2:
        for await (const _ of c.unaryStream(methods.ServerStream)({ n: i }));
        return;
      case 3:
        for await (const _ of c.unaryStream(methods.ServerStream)({ n: i })) break;
        return;
      case 4:
        await c.streamUnary(methods.ClientStream)([{ n: 1 }, { n: 2 }, { n: 3 }]);
        return;
      case 5: {
        const controller = new AbortController();
        const pending = c.streamUnary(methods.ClientStream)([{ n: 1 }], { signal: controller.signal });
        controller.abort();
        await pending.catch(swallow);
        return;
      }
      case 6:
        for await (const _ of c.streamStream(methods.Bidi)([{ n: 1 }, { n: 2 }]));
        return;
      default:
        await c.unaryUnary(methods.Unary)({ n: i }, { timeout: 0 }).catch(swallow);
    }
  }

  async function run(count: number, concurrency: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < count) await oneRpc(next++);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  it("leaves the heap flat (within 10%) after 10,000 RPCs", async () => {
    // The warm-up fills what is allocated once (connections, code caches, pools).
    await run(500, 64);
    const before = await settledHeapBytes();
    await run(10_000, 64);
    const after = await settledHeapBytes();
    expect(after).toBeLessThan(before * 1.1);
  }, 60_000);
});
