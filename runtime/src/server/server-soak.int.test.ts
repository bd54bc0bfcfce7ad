// A soak of the default server transport: 100,000 RPCs of all four kinds over 8 connections, a
// tenth cancelled by the client while the handler holds them and a tenth past their deadline.
// Every call must end as it should, and afterwards no handler may be running, the server may have
// no resource open that it did not have before, and its heap (after a full GC) may not have grown
// by 5 MiB. The server runs in a child process (testdata/soak-server.ts): what is measured is the
// server's alone, and it has a core of its own.
//
// It runs on Node 22 and later (CI: the Node 24 run of scripts/node-matrix.sh): its cancellations
// reset ~100 streams a second per connection, and Node 20 cannot raise nghttp2's limit of 33 a
// second (after a burst of 1,000), past which the connection gets GOAWAY (session-options.ts).
// The grpc-js project leaves it out: grpc-js's server cannot raise that limit on any Node.
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { checkLeaksAfterAll, forkTs, insecureChannelUnderTest, jsonMethod, type TsChild, testServerTransport } from "@tsgrpc/test-utils";
import type { Channel } from "../client/channel.js";
import { FutureCancelledError } from "../core/future.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { SoakServerStats } from "./testdata/soak-server.js";

checkLeaksAfterAll();

/** `hold`: the handler waits until the call is cancelled or its deadline passes. */
interface Msg {
  n: number;
  hold?: boolean;
}
const methods = {
  unary: jsonMethod<Msg, Msg>("/test.Soak/Unary"),
  serverStream: jsonMethod<Msg, Msg>("/test.Soak/ServerStream", { responseStream: true }),
  clientStream: jsonMethod<Msg, Msg>("/test.Soak/ClientStream", { requestStream: true }),
  bidi: jsonMethod<Msg, Msg>("/test.Soak/Bidi", { requestStream: true, responseStream: true }),
};
const total = 100_000;
const connections = 8;
const concurrency = 64;
const streamed = 3;
const heapBound = 5 * 1024 * 1024;

let child: TsChild;
let channels: Channel[] = [];

async function serverStats(): Promise<SoakServerStats> {
  const reply = child.message<SoakServerStats>((message) => "running" in message);
  child.process.send("stats?");
  return reply;
}

/** Resources open in `after` beyond `before`, by type. */
function extra(before: SoakServerStats, after: SoakServerStats): string[] {
  return Object.entries(after.resources)
    .filter(([name, count]) => count > (before.resources[name] ?? 0))
    .map(([name, count]) => `${name} ×${count - (before.resources[name] ?? 0)}`);
}

/** The server's stats once no handler runs and nothing is open beyond `before` (a cancelled call's handler ends a moment after the client's call). */
async function settledServer(before?: SoakServerStats): Promise<SoakServerStats> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const stats = await serverStats();
    const done = stats.running === 0 && (before === undefined || extra(before, stats).length === 0);
    if (done || Date.now() > deadline) return stats;
    await sleep(20);
  }
}

/** One RPC: call `i` of the soak, its kind, and how it ends (OK, cancelled, or past its deadline). */
async function soakCall(i: number): Promise<StatusCode> {
  const channel = channels[i % connections] as Channel;
  const ending = i % 10 === 0 ? "cancel" : i % 10 === 1 ? "deadline" : "ok";
  const hold = ending !== "ok";
  const options = ending === "deadline" ? { timeout: 0.02 } : {};
  const request: Msg = { n: i, hold };
  const requests = Array.from({ length: streamed }, (_, k) => ({ n: k, hold: k === 0 && hold }));
  const cancelSoon = (call: { cancel(): unknown }) => {
    if (ending === "cancel") setTimeout(() => call.cancel(), 2);
  };
  try {
    switch ((i >> 1) % 4) {
      case 0: {
        const future = channel.unaryUnary(methods.unary).future(request, options);
        cancelSoon(future);
        await future;
        break;
      }
      case 1: {
        const stream = channel.unaryStream(methods.serverStream)(request, options);
        cancelSoon(stream);
        for await (const _ of stream);
        break;
      }
      case 2: {
        const future = channel.streamUnary(methods.clientStream).future(requests, options);
        cancelSoon(future);
        await future;
        break;
      }
      default: {
        const stream = channel.streamStream(methods.bidi)(requests, options);
        cancelSoon(stream);
        for await (const _ of stream);
      }
    }
    return StatusCode.OK;
  } catch (error) {
    if (error instanceof RpcError) return error.code();
    // A cancelled future answers result() as grpcio's does.
    if (error instanceof FutureCancelledError) return StatusCode.CANCELLED;
    throw error;
  }
}

const nodeMajor = Number(process.versions.node.split(".")[0]);
const describeOnNode22 = nodeMajor >= 22 ? describe : describe.skip;

describeOnNode22(`a soak of ${total.toLocaleString("en")} RPCs on the ${testServerTransport} server transport (Node 22+)`, () => {
  beforeAll(async () => {
    child = forkTs(path.join(__dirname, "testdata", "soak-server.ts"));
    const { port } = (await child.message<{ port?: number }>((message) => message.port !== undefined)) as { port: number };
    // One connection per channel: each its own subchannel pool.
    channels = Array.from({ length: connections }, () =>
      insecureChannelUnderTest(`127.0.0.1:${port}`, { options: { "grpc.use_local_subchannel_pool": 1 } }),
    );
  }, 30_000);
  afterAll(async () => {
    for (const channel of channels) channel.close();
    await child.close();
  });

  it("every call ends as it should; then no handler runs, nothing is left open, and the server's heap is where it was", async () => {
    // Warmed up first, so that what the first calls allocate once is in the baseline.
    for (let i = 0; i < 2000; i++) await soakCall(i);
    const before = await settledServer();

    const endings = new Map<string, number>();
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          const expected = i % 10 === 0 ? StatusCode.CANCELLED : i % 10 === 1 ? StatusCode.DEADLINE_EXCEEDED : StatusCode.OK;
          const code = await soakCall(i);
          const key = code === expected ? StatusCode[code] : `call ${i}: ${StatusCode[code]}, expected ${StatusCode[expected]}`;
          endings.set(key, (endings.get(key) ?? 0) + 1);
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    expect(Object.fromEntries(endings)).toEqual({ OK: total * 0.8, CANCELLED: total * 0.1, DEADLINE_EXCEEDED: total * 0.1 });

    const after = await settledServer(before);
    expect(after.running).toBe(0);
    expect(extra(before, after)).toEqual([]);
    const grown = after.heapUsed - before.heapUsed;
    if (process.env.TSGRPC_SOAK_REPORT)
      console.log(`${total} RPCs in ${elapsed.toFixed(1)} s; server heap ${(grown / 1048576).toFixed(2)} MiB`);
    expect(grown).toBeLessThan(heapBound);
  }, 180_000);
});
