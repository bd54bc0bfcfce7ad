import { setTimeout as sleepWithSignal } from "node:timers/promises";
import { deferred, jsonMethod, jsonSerializers } from "@tsgrpc/test-utils";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import {
  streamStreamRpcMethodHandler,
  streamUnaryRpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "../server/method-handlers.js";
import { type TestingServer, testingServer } from "./testing-server.js";

interface Msg {
  n?: number;
  text?: string;
}
const methods = {
  Unary: jsonMethod<Msg, Msg>("/test.T/Unary"),
  Stream: jsonMethod<Msg, Msg>("/test.T/Stream", { responseStream: true }),
  Sum: jsonMethod<Msg, Msg>("/test.T/Sum", { requestStream: true }),
  Chat: jsonMethod<Msg, Msg>("/test.T/Chat", { requestStream: true, responseStream: true }),
};
const serializers = jsonSerializers<Msg, Msg>();

let unary: (request: Msg, context: ServicerContext) => Promise<Msg>;
const finallyRan = { stream: deferred<boolean>() };

async function start(): Promise<TestingServer> {
  return testingServer(
    (s) =>
      s.addRegisteredMethodHandlers("test.T", {
        Unary: unaryUnaryRpcMethodHandler((r: Msg, c) => unary(r, c), serializers),
        Stream: unaryStreamRpcMethodHandler(async function* (request: Msg, context: ServicerContext) {
          try {
            for (let n = 0; n < (request.n ?? 0); n++) yield { n };
            if (request.text === "wait") await sleepWithSignal(60_000, undefined, { signal: context.signal });
            if (request.text === "fail") throw new Error("stream broke");
          } finally {
            finallyRan.stream.resolve(context.signal.aborted);
          }
        }, serializers),
        Sum: streamUnaryRpcMethodHandler(async (requests: AsyncIterable<Msg>) => {
          let n = 0;
          for await (const r of requests) n += r.n ?? 0;
          return { n };
        }, serializers),
        Chat: streamStreamRpcMethodHandler(async function* (requests: AsyncIterable<Msg>) {
          for await (const r of requests) yield { text: `re: ${r.text}` };
        }, serializers),
      }),
    { logger: null },
  );
}

describe("testingServer", () => {
  let t: TestingServer;
  beforeEach(async () => {
    t = await start();
    finallyRan.stream = deferred();
  });
  afterEach(() => t.close());

  it("unary: response, code, details, initial and trailing metadata, and the invocation metadata the handler saw", async () => {
    unary = async (request, context) => {
      context.sendInitialMetadata({ server: "t" });
      context.setTrailingMetadata({ count: "1" });
      return { text: `${request.text} from ${context.invocationMetadata().get("ip")} at ${context.peer()}` };
    };
    const rpc = t.invokeUnaryUnary(methods.Unary, { text: "hi" }, { metadata: { ip: "10.1.1.1" } });
    expect((await rpc.initialMetadata()).get("server")).toBe("t");
    const termination = await rpc.termination();
    expect(termination.response).toEqual({ text: "hi from 10.1.1.1 at ipv4:127.0.0.1:0" });
    expect([termination.code, termination.details, termination.trailingMetadata.get("count")]).toEqual([StatusCode.OK, "", "1"]);
    expect(rpc.isActive()).toBe(false);
  });

  it("unary: abort, thrown errors and a missing response give grpcio's statuses and no response", async () => {
    unary = async (_r, context) => context.abort(StatusCode.NOT_FOUND, "nobody");
    expect(await t.invokeUnaryUnary(methods.Unary, {}).termination()).toMatchObject({
      response: null,
      code: StatusCode.NOT_FOUND,
      details: "nobody",
    });
    unary = async () => {
      throw new Error("bad");
    };
    expect(await t.invokeUnaryUnary(methods.Unary, {}).termination()).toMatchObject({
      code: StatusCode.UNKNOWN,
      details: "Exception calling application: bad",
    });
  });

  it("unary: the deadline reaches the handler (timeRemaining, then DEADLINE_EXCEEDED and the signal)", async () => {
    const seen = deferred<string>();
    unary = async (_r, context) => {
      const remaining = context.timeRemaining();
      try {
        await sleepWithSignal(60_000, undefined, { signal: context.signal });
      } finally {
        seen.resolve(`${remaining !== null && remaining > 0 && remaining <= 0.1} ${context.signal.aborted} ${context.code()}`);
      }
      return {};
    };
    expect((await t.invokeUnaryUnary(methods.Unary, {}, { timeout: 0.1 }).termination()).code).toBe(StatusCode.DEADLINE_EXCEEDED);
    await expect(seen.promise).resolves.toBe(`true true ${StatusCode.DEADLINE_EXCEEDED}`);
  });

  it("a deadline already past: DEADLINE_EXCEEDED at once, through the channel and the invoke helpers, and no handler runs", async () => {
    let ran = 0;
    unary = async () => {
      ran++;
      return { text: "too late" };
    };
    const error = await t.channel
      .unaryUnary(methods.Unary)({}, { timeout: 0 })
      .catch((e: unknown) => e);
    expect([(error as RpcError).code(), (error as RpcError).details()]).toEqual([StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded"]);
    const invoked = await t.invokeUnaryUnary(methods.Unary, {}, { deadline: new Date(Date.now() - 1000) }).termination();
    expect([invoked.code, invoked.details]).toEqual([StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded"]);
    expect(ran).toBe(0);
  });

  it("unary: timeRemaining() is null without a timeout; peer and auth context can be set", async () => {
    const seen = deferred<unknown[]>();
    unary = async (_r, context) => {
      seen.resolve([context.timeRemaining(), context.peer(), context.peerIdentityKey(), context.peerIdentities()]);
      return {};
    };
    const cn = new TextEncoder().encode("client-a");
    await t
      .invokeUnaryUnary(
        methods.Unary,
        {},
        { peer: "ipv4:10.0.0.2:5000", authContext: { x509_common_name: [cn] }, peerIdentityKey: "x509_common_name" },
      )
      .termination();
    expect(await seen.promise).toEqual([null, "ipv4:10.0.0.2:5000", "x509_common_name", [cn]]);
  });

  it("server streaming: takeResponse one by one, then the termination; a mid-stream error comes after the messages", async () => {
    const rpc = t.invokeUnaryStream(methods.Stream, { n: 2, text: "fail" });
    expect(await rpc.takeResponse()).toEqual({ n: 0 });
    expect(await rpc.takeResponse()).toEqual({ n: 1 });
    const error = await rpc.takeResponse().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(await rpc.termination()).toMatchObject({ code: StatusCode.UNKNOWN, details: "Exception iterating responses: stream broke" });
  });

  it("server streaming: a test that does not take responses holds the handler at its yield (backpressure)", async () => {
    const rpc = t.invokeUnaryStream(methods.Stream, { n: 1000 });
    const all: Msg[] = [];
    for await (const m of rpc.responses()) all.push(m);
    expect(all).toHaveLength(1000);
    expect((await rpc.termination()).code).toBe(StatusCode.OK);
  });

  it("server streaming: cancel() closes the handler's generator with the signal aborted", async () => {
    const rpc = t.invokeUnaryStream(methods.Stream, { n: 1, text: "wait" });
    await rpc.takeResponse();
    rpc.cancel();
    await expect(finallyRan.stream.promise).resolves.toBe(true);
    expect((await rpc.termination()).code).toBe(StatusCode.CANCELLED);
  });

  it("client streaming and bidi: requests sent by the test, responses taken as they come", async () => {
    const sum = t.invokeStreamUnary(methods.Sum);
    sum.sendRequest({ n: 2 });
    sum.sendRequest({ n: 3 });
    sum.requestsClosed();
    expect((await sum.termination()).response).toEqual({ n: 5 });

    const chat = t.invokeStreamStream(methods.Chat);
    chat.sendRequest({ text: "a" });
    expect(await chat.takeResponse()).toEqual({ text: "re: a" });
    chat.sendRequest({ text: "b" });
    expect(await chat.takeResponse()).toEqual({ text: "re: b" });
    chat.requestsClosed();
    expect(() => chat.sendRequest({ text: "late" })).toThrow(/after requestsClosed/);
    expect((await chat.termination()).code).toBe(StatusCode.OK);
  });

  it("an unknown method is UNIMPLEMENTED; a method of the wrong kind is a TypeError", async () => {
    const rpc = t.invokeUnaryUnary(jsonMethod<Msg, Msg>("/test.T/Nope"), {});
    expect(await rpc.termination()).toMatchObject({ code: StatusCode.UNIMPLEMENTED, details: "Method not found!" });
    expect(() => t.invokeUnaryUnary(methods.Stream, {})).toThrow("/test.T/Stream is not a unary-unary method");
  });

  it("close() cancels RPCs still running", async () => {
    const rpc = t.invokeUnaryStream(methods.Stream, { n: 1, text: "wait" });
    await rpc.takeResponse();
    await t.close();
    await expect(finallyRan.stream.promise).resolves.toBe(true);
    expect((await rpc.termination()).code).toBe(StatusCode.CANCELLED);
  });
});
