// What every transport must do, stated once and run over every pair of transports there is
// (test-utils' transportPairs: each client transport with each server transport, and memory with
// memory): every RPC kind, metadata and trailers, each status code with its details and rich
// details, deadlines (an expired one too) and cancellation reaching the other side, flow control held within bounds
// (counted, not slept on), message limits, a throwing handler, and a stop with calls in flight.
import { setTimeout as sleep } from "node:timers/promises";
import {
  checkLeaksAfterAll,
  type Deferred,
  deferred,
  jsonMethod,
  jsonSerializers,
  type PairedServer,
  rpcStatus,
  settled,
  transportPairs,
} from "@tsgrpc/test-utils";
import { Metadata } from "../../core/metadata.js";
import { toStatus } from "../../core/rich-status.js";
import { RpcError } from "../../core/rpc-error.js";
import type { ServicerContext } from "../../core/servicer-context.js";
import { StatusCode } from "../../core/status-code.js";
import {
  streamStreamRpcMethodHandler,
  streamUnaryRpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "../../server/method-handlers.js";
import type { Server, ServerOptions } from "../../server/server.js";

checkLeaksAfterAll();

interface Msg {
  text?: string;
  n?: number;
  code?: number;
  pad?: string;
}
const serializers = jsonSerializers<Msg, Msg>();
const methods = {
  unary: jsonMethod<Msg, Msg>("/conformance.Test/Unary"),
  serverStream: jsonMethod<Msg, Msg>("/conformance.Test/ServerStream", { responseStream: true }),
  clientStream: jsonMethod<Msg, Msg>("/conformance.Test/ClientStream", { requestStream: true }),
  bidi: jsonMethod<Msg, Msg>("/conformance.Test/Bidi", { requestStream: true, responseStream: true }),
  hold: jsonMethod<Msg, Msg>("/conformance.Test/Hold"),
  ignoreRequests: jsonMethod<Msg, Msg>("/conformance.Test/IgnoreRequests", { requestStream: true }),
};
const binary = Uint8Array.from([0, 1, 2, 250, 255]);
/** A google.protobuf.Any in a rich status. */
const detail = { typeUrl: "type.googleapis.com/google.rpc.BadRequest", value: new Uint8Array([10, 3, 1, 2, 3]) };
const pad16k = "x".repeat(16 * 1024);

/** What the handlers tell the test: how each held call ended on the server, and how far streams got. */
class Observed {
  ended: Deferred<string> = deferred();
  started: Deferred<void> = deferred();
  yielded = 0;

  reset(): void {
    this.ended = deferred();
    this.started = deferred();
    this.yielded = 0;
  }
}

function setup(observed: Observed) {
  return (s: Server) =>
    s.addRegisteredMethodHandlers("conformance.Test", {
      Unary: unaryUnaryRpcMethodHandler((request: Msg, context) => {
        const md = context.invocationMetadata();
        if (request.text === "throw") throw new Error("boom");
        if (request.text === "rich")
          context.abortWithStatus(
            toStatus({ code: StatusCode.INVALID_ARGUMENT, message: "username is required", details: [detail] }, { hint: "see docs" }),
          );
        if (request.code !== undefined) context.abort(request.code, `why ${request.code}`);
        if (request.text === "metadata") {
          context.sendInitialMetadata([
            ["x-initial", "i"],
            ["x-initial-bin", binary],
          ]);
          context.setTrailingMetadata([
            ["x-trailer", "t"],
            ["x-trailer-bin", binary],
          ]);
          return { text: `${md.get("x-text")}|${Buffer.from(md.get("x-data-bin") as Uint8Array).toString("hex")}` };
        }
        if (request.pad !== undefined) return { pad: request.pad };
        return { text: `unary ${request.text}` };
      }, serializers),
      ServerStream: unaryStreamRpcMethodHandler(async function* (request: Msg) {
        for (let i = 0; i < (request.n ?? 3); i++) {
          observed.yielded++;
          yield request.pad === undefined ? { n: i } : { n: i, pad: request.pad };
        }
      }, serializers),
      ClientStream: streamUnaryRpcMethodHandler(async (requests: AsyncIterable<Msg>) => {
        const texts: string[] = [];
        for await (const request of requests) texts.push(request.text ?? "");
        return { text: texts.join(",") };
      }, serializers),
      Bidi: streamStreamRpcMethodHandler(async function* (requests: AsyncIterable<Msg>) {
        for await (const request of requests) yield { text: `echo ${request.text}` };
      }, serializers),
      Hold: unaryUnaryRpcMethodHandler(async (request: Msg, context: ServicerContext) => {
        observed.started.resolve();
        if (request.text === "cancel-me") {
          await sleep(10);
          context.cancel();
        }
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
        observed.ended.resolve(`aborted, timeRemaining ${context.timeRemaining() === null ? "null" : "set"}`);
        return {};
      }, serializers),
      IgnoreRequests: streamUnaryRpcMethodHandler(async (_requests: AsyncIterable<Msg>, context: ServicerContext) => {
        observed.started.resolve();
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
        observed.ended.resolve("aborted");
        return {};
      }, serializers),
    });
}

describe.each(transportPairs)("$name", (pair) => {
  const observed = new Observed();
  let t: PairedServer;
  const start = (options: ServerOptions = {}) => pair.start(setup(observed), options);

  beforeAll(async () => {
    t = await start();
  });
  afterAll(() => t.close());
  beforeEach(() => observed.reset());

  it("every RPC kind", async () => {
    const { channel } = t;
    expect(await channel.unaryUnary(methods.unary)({ text: "a" })).toEqual({ text: "unary a" });
    const streamed: Msg[] = [];
    for await (const message of channel.unaryStream(methods.serverStream)({ n: 3 })) streamed.push(message);
    expect(streamed.map((m) => m.n)).toEqual([0, 1, 2]);
    expect(await channel.streamUnary(methods.clientStream)([{ text: "x" }, { text: "y" }, { text: "z" }])).toEqual({ text: "x,y,z" });
    const echoed: Msg[] = [];
    for await (const message of channel.streamStream(methods.bidi)([{ text: "1" }, { text: "2" }])) echoed.push(message);
    expect(echoed).toEqual([{ text: "echo 1" }, { text: "echo 2" }]);
  });

  it("metadata (-bin too) reaches the handler; initial metadata and trailers come back", async () => {
    const metadata = new Metadata();
    metadata.set("x-text", "hello");
    metadata.set("x-data-bin", binary);
    const [response, call] = await t.channel.unaryUnary(methods.unary).withCall({ text: "metadata" }, { metadata });
    expect(response.text).toBe(`hello|${Buffer.from(binary).toString("hex")}`);
    const initial = await call.initialMetadata();
    expect([initial.get("x-initial"), initial.get("x-initial-bin")]).toEqual(["i", binary]);
    const trailers = await call.trailingMetadata();
    expect([trailers.get("x-trailer"), trailers.get("x-trailer-bin")]).toEqual(["t", binary]);
  });

  it("each status code, with its details", async () => {
    const seen: [StatusCode, string][] = [];
    for (let code = 1; code <= 16; code++) seen.push(await rpcStatus(t.channel.unaryUnary(methods.unary)({ code })));
    expect(seen).toEqual(Array.from({ length: 16 }, (_, i) => [i + 1, `why ${i + 1}`]));
  });

  it("abortWithStatus: a google.rpc.Status travels in grpc-status-details-bin beside the other trailers", async () => {
    const error = await t.channel
      .unaryUnary(methods.unary)({ text: "rich" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    const rich = error as RpcError;
    expect([rich.code(), rich.details(), rich.trailingMetadata().get("hint")]).toEqual([
      StatusCode.INVALID_ARGUMENT,
      "username is required",
      "see docs",
    ]);
    expect(rich.statusDetails()).toEqual({ code: StatusCode.INVALID_ARGUMENT, message: "username is required", details: [detail] });
  });

  it("a throwing handler: UNKNOWN with grpcio's details", async () => {
    expect(await rpcStatus(t.channel.unaryUnary(methods.unary)({ text: "throw" }))).toEqual([
      StatusCode.UNKNOWN,
      "Exception calling application: boom",
    ]);
  });

  it("a deadline ends the call on both sides: DEADLINE_EXCEEDED for the client, the handler's signal aborts", async () => {
    const [code] = await rpcStatus(t.channel.unaryUnary(methods.hold)({}, { timeout: 0.1 }));
    expect(code).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(await observed.ended.promise).toBe("aborted, timeRemaining set");
  });

  it.each([
    ["timeout: 0", { timeout: 0 }],
    ["timeout: -1", { timeout: -1 }],
    ["a deadline a second ago", { deadline: new Date(Date.now() - 1000) }],
  ])("a deadline already past (%s): DEADLINE_EXCEEDED for every RPC kind, however fast the handler", async (_name, options) => {
    const { channel } = t;
    const drain = async (responses: AsyncIterable<Msg>) => {
      for await (const _ of responses);
    };
    const endings = [
      await rpcStatus(channel.unaryUnary(methods.unary)({ text: "a" }, options)),
      await rpcStatus(channel.unaryUnary(methods.unary).future({ text: "a" }, options).result()),
      await rpcStatus(drain(channel.unaryStream(methods.serverStream)({ n: 3 }, options))),
      await rpcStatus(channel.streamUnary(methods.clientStream)([{ text: "x" }], options)),
      await rpcStatus(drain(channel.streamStream(methods.bidi)([{ text: "1" }], options))),
    ];
    expect(endings).toEqual(Array.from({ length: 5 }, () => [StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded"]));
  });

  it("a client's cancel reaches the handler", async () => {
    const future = t.channel.unaryUnary(methods.hold).future({});
    await observed.started.promise;
    future.cancel();
    expect(await observed.ended.promise).toBe("aborted, timeRemaining null");
    expect(await future.code()).toBe(StatusCode.CANCELLED);
  });

  it("a handler's cancel reaches the client: CANCELLED", async () => {
    const [code] = await rpcStatus(t.channel.unaryUnary(methods.hold)({ text: "cancel-me" }));
    expect(code).toBe(StatusCode.CANCELLED);
  });

  it("a client that stops reading holds the handler within bounds; cancelling it ends the handler", async () => {
    const stream = t.channel.unaryStream(methods.serverStream)({ n: 1000, pad: pad16k });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.n).toBe(0);
    // 1,000 messages of 16 KiB asked for; the handler is held once the buffers between are full.
    const held = await settled(() => observed.yielded);
    expect(held).toBeGreaterThan(1);
    expect(held).toBeLessThan(100);
    await iterator.return?.();
    expect(await stream.code()).toBe(StatusCode.CANCELLED);
  });

  it("a handler that does not read holds the client's writer within bounds", async () => {
    let pulled = 0;
    function* requests() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield { pad: pad16k };
      }
    }
    const future = t.channel.streamUnary(methods.ignoreRequests).future(requests());
    await observed.started.promise;
    const held = await settled(() => pulled);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(100);
    future.cancel();
    expect(await observed.ended.promise).toBe("aborted");
  });

  it("message limits: a request over the server's maxReceiveMessageLength, a response over its maxSendMessageLength", async () => {
    const limited = await start({ maxReceiveMessageLength: 1024, maxSendMessageLength: 1024 });
    try {
      const unary = limited.channel.unaryUnary(methods.unary);
      expect((await rpcStatus(unary({ pad: "x".repeat(2048) })))[0]).toBe(StatusCode.RESOURCE_EXHAUSTED);
      expect(await unary({ text: "small" })).toEqual({ text: "unary small" });
      const stream = limited.channel.unaryStream(methods.serverStream)({ n: 1, pad: "x".repeat(2048) });
      expect(
        (
          await rpcStatus(
            (async () => {
              for await (const _ of stream);
            })(),
          )
        )[0],
      ).toBe(StatusCode.RESOURCE_EXHAUSTED);
    } finally {
      await limited.close();
    }
  });

  it("stop(grace) with a call in flight: the handler is cancelled after the grace, the client's call ends", async () => {
    const stopping = await start();
    const call = rpcStatus(stopping.channel.unaryUnary(methods.hold)({}));
    await observed.started.promise;
    const started = Date.now();
    await stopping.server.stop(0.2);
    expect(await observed.ended.promise).toBe("aborted, timeRemaining null");
    expect(Date.now() - started).toBeLessThan(1500);
    const [code] = await call;
    expect([StatusCode.CANCELLED, StatusCode.UNAVAILABLE]).toContain(code);
    await stopping.close();
  });
});
