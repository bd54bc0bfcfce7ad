// A soak of the default server transport: 100,000 RPCs of all four kinds over 8 connections, a
// tenth cancelled by the client while the handler holds them and a tenth past their deadline.
// Every call must end as it should, and afterwards no handler may be running, no handle may be open
// that was not before, and the heap (after a full GC) may not have grown by 5 MiB. The grpc-js
// project leaves it out (a minute of CI for a server its maintainers soak);
// `TSGRPC_TEST_SERVER_TRANSPORT=grpc-js npx jest server-soak` runs it there by hand.
import { setTimeout as sleep } from "node:timers/promises";
import {
  activeResources,
  checkLeaksAfterAll,
  expectNoLeaks,
  jsonMethod,
  jsonSerializers,
  serverUnderTest,
  settledHeapBytes,
  testServerTransport,
} from "@tsgrpc/test-utils";
import type { Channel } from "../client/channel.js";
import { insecureChannel } from "../grpc-js/channels.js";
import { StatusCode } from "../core/status-code.js";
import { RpcError } from "../core/rpc-error.js";
import { FutureCancelledError } from "../core/future.js";
import type { ServicerContext } from "../core/servicer-context.js";
import {
  streamStreamRpcMethodHandler,
  streamUnaryRpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "./method-handlers.js";
import type { Server } from "./server.js";

checkLeaksAfterAll();

/** `hold`: the handler waits until the call is cancelled or its deadline passes. */
interface Msg {
  n: number;
  hold?: boolean;
}
const serializers = jsonSerializers<Msg, Msg>();
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

let running = 0;
let srv: Server;
let channels: Channel[] = [];

/** Runs `handle` counted as running; a held call waits for its end first. */
async function counted<T>(context: ServicerContext, hold: boolean | undefined, handle: () => Promise<T> | T): Promise<T> {
  running++;
  try {
    if (hold) await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
    return await handle();
  } finally {
    running--;
  }
}

async function* held(context: ServicerContext, hold: boolean | undefined, messages: Msg[]): AsyncGenerator<Msg> {
  running++;
  try {
    if (hold) await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
    yield* messages;
  } finally {
    running--;
  }
}

async function collect(requests: AsyncIterable<Msg>): Promise<Msg[]> {
  const all: Msg[] = [];
  for await (const request of requests) all.push(request);
  return all;
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

describe(`a soak of ${total.toLocaleString("en")} RPCs on the ${testServerTransport} server transport`, () => {
  beforeAll(async () => {
    srv = serverUnderTest({ logger: null });
    srv.addRegisteredMethodHandlers("test.Soak", {
      Unary: unaryUnaryRpcMethodHandler((request: Msg, context) => counted(context, request.hold, () => request), serializers),
      ServerStream: unaryStreamRpcMethodHandler(
        (request: Msg, context) =>
          held(
            context,
            request.hold,
            Array.from({ length: streamed }, (_, n) => ({ n })),
          ),
        serializers,
      ),
      ClientStream: streamUnaryRpcMethodHandler(async (requests: AsyncIterable<Msg>, context) => {
        const all = await collect(requests);
        return counted(context, all[0]?.hold, () => ({ n: all.length }));
      }, serializers),
      Bidi: streamStreamRpcMethodHandler(async function* (requests: AsyncIterable<Msg>, context) {
        running++;
        try {
          for await (const request of requests) {
            if (request.hold) await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
            yield request;
          }
        } finally {
          running--;
        }
      }, serializers),
    });
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    // One connection per channel: each its own subchannel pool.
    channels = Array.from({ length: connections }, () =>
      insecureChannel(`127.0.0.1:${port}`, { options: { "grpc.use_local_subchannel_pool": 1 } }),
    );
  });
  afterAll(async () => {
    for (const channel of channels) channel.close();
    await srv.stop(null);
  });

  it("every call ends as it should; then nothing is running, no handle is left, and the heap is where it was", async () => {
    // Warmed up first, so that what the first calls allocate once is in the baseline.
    for (let i = 0; i < 2000; i++) await soakCall(i);
    await until0();
    const heapBefore = await settledHeapBytes();
    const handlesBefore = activeResources();

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

    await until0();
    expect(running).toBe(0);
    await expectNoLeaks(handlesBefore);
    const grown = (await settledHeapBytes()) - heapBefore;
    if (process.env.TSGRPC_SOAK_REPORT) console.log(`${total} RPCs in ${elapsed.toFixed(1)} s; heap ${(grown / 1048576).toFixed(2)} MiB`);
    expect(grown).toBeLessThan(5 * 1024 * 1024);
  }, 180_000);
});

/** Resolves once no handler is running (a cancelled call's handler ends a moment after the client's call). */
async function until0(): Promise<void> {
  const deadline = Date.now() + 5000;
  while (running > 0 && Date.now() < deadline) await sleep(10);
}
