import {
  checkLeaksAfterAll,
  deferred,
  expectDeadlineEnding,
  jsonMethod,
  type ServerEnding,
  settled,
  sleep,
  startTestServer,
  type TestServer,
  untilAborted,
} from "@tsgrpc/test-utils";
import type { MethodDefinition } from "../core/method-definition.js";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { servicerMethodHandlers } from "../server/servicer.js";

// Unary-stream calls from the client's side: the scenario list every RPC kind's suite covers.

interface Req {
  count?: number;
  size?: number;
}
interface Res {
  n: number;
  pad?: string;
}

const methods = {
  Count: jsonMethod<Req, Res>("/test.Stream/Count", { responseStream: true }),
};
// The same method, decoding responses with a codec that always fails.
const undecodable: MethodDefinition<Req, Res> = {
  ...methods.Count,
  deserializeResponse: () => {
    throw new SyntaxError("bad bytes");
  },
};

type Behaviour = (request: Req, context: ServicerContext) => AsyncIterable<Res>;

checkLeaksAfterAll();

describe("unary-stream calls", () => {
  let t: TestServer;
  let behaviour: Behaviour;
  let ended = deferred<ServerEnding>();

  beforeAll(async () => {
    t = await startTestServer((s) => {
      s.addRegisteredMethodHandlers(
        "test.Stream",
        servicerMethodHandlers({ Count: (r: Req, c: ServicerContext) => behaviour(r, c) }, methods),
      );
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    ended = deferred<ServerEnding>();
  });

  const count = () => t.channel.unaryStream(methods.Count);

  /** Yields `first` messages, then waits for the RPC to be cancelled; records how it ended. */
  const yieldThenWait = (first: number): Behaviour =>
    async function* (_r, context) {
      try {
        for (let n = 0; n < first; n++) yield { n };
        await untilAborted(context.signal);
      } finally {
        ended.resolve({ code: context.code(), active: context.isActive() });
      }
    };

  it("streams every response, then reports OK", async () => {
    behaviour = async function* (r) {
      for (let n = 0; n < (r.count ?? 0); n++) yield { n };
    };
    const stream = count()({ count: 5 });
    const seen: number[] = [];
    for await (const message of stream) seen.push(message.n);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(await stream.code()).toBe(StatusCode.OK);
    expect(stream.isActive()).toBe(false);
    expect(stream.timeRemaining()).toBeNull();
  });

  it("carries metadata both ways (-bin included): initialMetadata before the first message, trailers and code at the end", async () => {
    const release = deferred();
    behaviour = async function* (_r, context) {
      const md = context.invocationMetadata();
      context.sendInitialMetadata({ echo: String(md.get("ask")), "raw-bin": md.get("data-bin") as Uint8Array });
      await release.promise;
      context.setTrailingMetadata([
        ["done", "yes"],
        ["sum-bin", new Uint8Array([7])],
      ]);
      yield { n: 1 };
    };
    const stream = count()({}, { metadata: { ask: "hello", "data-bin": new Uint8Array([0, 255]) } });
    const headers = await stream.initialMetadata();
    expect(headers.get("echo")).toBe("hello");
    expect(headers.get("raw-bin")).toEqual(new Uint8Array([0, 255]));
    expect(stream.isActive()).toBe(true);
    release.resolve();
    const messages: Res[] = [];
    for await (const message of stream) messages.push(message);
    expect(messages).toEqual([{ n: 1 }]);
    const trailers = await stream.trailingMetadata();
    expect(trailers.get("done")).toBe("yes");
    expect(trailers.get("sum-bin")).toEqual(new Uint8Array([7]));
    expect(await stream.code()).toBe(StatusCode.OK);
  });

  it("delivers the messages sent before a server error, then throws its RpcError with trailing metadata", async () => {
    behaviour = async function* (_r, context) {
      yield { n: 0 };
      yield { n: 1 };
      context.setTrailingMetadata({ reason: "quota" });
      context.abort(StatusCode.RESOURCE_EXHAUSTED, "out of quota");
    };
    const stream = count()({});
    const seen: number[] = [];
    const error = await (async () => {
      for await (const message of stream) seen.push(message.n);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([0, 1]);
    expect(error).toBeInstanceOf(RpcError);
    const rpcError = error as RpcError;
    expect(rpcError.message).toBe("/test.Stream/Count RESOURCE_EXHAUSTED: out of quota");
    expect(rpcError.trailingMetadata().get("reason")).toBe("quota");
    expect(rpcError.stack).toContain("client-server-streaming.int.test.ts");
    expect(await stream.code()).toBe(StatusCode.RESOURCE_EXHAUSTED);
    expect(await stream.details()).toBe("out of quota");
  });

  it("ends with DEADLINE_EXCEEDED within the deadline + 500 ms, and the handler sees it", async () => {
    behaviour = yieldThenWait(1);
    const started = Date.now();
    const stream = count()({}, { timeout: 0.3 });
    const seen: number[] = [];
    const error = (await (async () => {
      for await (const message of stream) seen.push(message.n);
    })().catch((e: unknown) => e)) as RpcError;
    expect(Date.now() - started).toBeLessThan(300 + 500);
    expect(seen).toEqual([0]);
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(error.details()).toBe("Deadline Exceeded");
    expectDeadlineEnding(await ended.promise);
  });

  it("cancels with cancel(): the loop throws CANCELLED and the handler's finally runs", async () => {
    behaviour = yieldThenWait(1);
    const stream = count()({});
    const iterator = stream[Symbol.asyncIterator]();
    await expect(iterator.next()).resolves.toEqual({ done: false, value: { n: 0 } });
    stream.cancel();
    stream.cancel();
    expect(stream.isActive()).toBe(false);
    const error = (await iterator.next().catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code()).toBe(StatusCode.CANCELLED);
    expect(error.details()).toBe("Locally cancelled by application!");
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
  });

  it("cancels through an AbortSignal", async () => {
    behaviour = yieldThenWait(1);
    const controller = new AbortController();
    const stream = count()({}, { signal: controller.signal });
    const error = (await (async () => {
      for await (const _ of stream) controller.abort();
    })().catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.CANCELLED);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
  });

  it("never starts a call whose AbortSignal has already aborted", async () => {
    behaviour = yieldThenWait(1);
    const stream = count()({}, { signal: AbortSignal.abort() });
    expect(stream.isActive()).toBe(false);
    const error = (await stream[Symbol.asyncIterator]()
      .next()
      .catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.CANCELLED);
  });

  it("cancels when the loop is left early with break (grpcio: streaming with early break)", async () => {
    behaviour = async function* (_r, context) {
      try {
        for (let n = 0; ; n++) {
          yield { n };
          await sleep(1);
        }
      } finally {
        ended.resolve({ code: context.code(), active: context.isActive() });
      }
    };
    const stream = count()({});
    for await (const message of stream) {
      if (message.n === 3) break;
    }
    expect(await stream.code()).toBe(StatusCode.CANCELLED);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
  });

  it("cancels after N seconds from a timer (grpcio: cancellation after N seconds)", async () => {
    behaviour = yieldThenWait(2);
    const stream = count()({});
    const timer = setTimeout(() => stream.cancel(), 200);
    const seen: number[] = [];
    try {
      for await (const message of stream) seen.push(message.n);
    } catch (error) {
      expect((error as RpcError).code()).toBe(StatusCode.CANCELLED);
    } finally {
      clearTimeout(timer);
    }
    expect(seen).toEqual([0, 1]);
    await expect(ended.promise).resolves.toMatchObject({ code: StatusCode.CANCELLED });
  });

  it("reads only as fast as the loop pulls: a paused reader holds the server at its yield", async () => {
    let produced = 0;
    behaviour = async function* (r, context) {
      try {
        for (let n = 0; n < 10_000; n++) {
          produced = n;
          yield { n, pad: "x".repeat(r.size ?? 0) };
        }
      } finally {
        ended.resolve({ code: context.code(), active: context.isActive() });
      }
    };
    const stream = count()({ size: 64 * 1024 });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    // HTTP/2 windows, the server's write buffers and the client's read-ahead (one 64 KiB message
    // here) let a little through, not 640 MB.
    const held = await settled(() => produced);
    expect(held).toBeGreaterThan(1);
    expect(held).toBeLessThan(200);
    await iterator.return?.();
    await expect(ended.promise).resolves.toMatchObject({ code: StatusCode.CANCELLED });
  });

  it("fails with INTERNAL when a response cannot be decoded, and cancels the server side", async () => {
    behaviour = yieldThenWait(1);
    const stream = t.channel.unaryStream(undecodable)({});
    const error = (await stream[Symbol.asyncIterator]()
      .next()
      .catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code()).toBe(StatusCode.INTERNAL);
    expect(error.details()).toBe("Exception deserializing response!");
    expect(error.cause).toBeInstanceOf(SyntaxError);
    await expect(ended.promise).resolves.toMatchObject({ code: StatusCode.CANCELLED });
  });
});
