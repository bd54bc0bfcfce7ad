import {
  checkLeaksAfterAll,
  deferred,
  insecureChannelUnderTest,
  jsonMethod,
  startTestServer,
  type TestServer,
  untilAborted,
} from "@tsgrpc/test-utils";
import { FutureCancelledError, FutureTimeoutError } from "../core/future.js";
import { Metadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { servicerMethodHandlers } from "../server/servicer.js";
import type { CallFuture } from "./call-future.js";
import { callFutureFrom } from "./call-future-from.js";
import type { ClientCallDetails, ClientInterceptor } from "./client-interceptor.js";
import { interceptChannel } from "./intercepted-channel.js";

interface Msg {
  text: string;
}

const methods = {
  Unary: jsonMethod<Msg, Msg>("/test.I/Unary"),
  Other: jsonMethod<Msg, Msg>("/test.I/Other"),
  ServerStream: jsonMethod<Msg, Msg>("/test.I/ServerStream", { responseStream: true }),
  ClientStream: jsonMethod<Msg, Msg>("/test.I/ClientStream", { requestStream: true }),
  Bidi: jsonMethod<Msg, Msg>("/test.I/Bidi", { requestStream: true, responseStream: true }),
};

/**
 * What the server saw: the method, the `tag` metadata values and the requests. The values are
 * split on commas: grpc-js's server joins a repeated key into one value, node-http2 keeps them apart.
 */
function seen(method: string, context: ServicerContext, texts: string[]): Msg {
  const tags = context
    .invocationMetadata()
    .getAll("tag")
    .flatMap((value) => String(value).split(","))
    .map((value) => value.trim())
    .join(", ");
  return { text: `${method} [${tags}] ${texts.join(" ")}`.trim() };
}

async function collect(requests: AsyncIterable<Msg>): Promise<string[]> {
  const texts: string[] = [];
  for await (const request of requests) texts.push(request.text);
  return texts;
}

/** An interceptor for all four kinds that logs its name and appends it to the `tag` metadata. */
function tagging(name: string, log: string[]): ClientInterceptor {
  const tag = (details: ClientCallDetails): ClientCallDetails => {
    log.push(`${name} ${details.method}`);
    const metadata = details.metadata.clone();
    metadata.add("tag", name);
    return { ...details, metadata };
  };
  return {
    interceptUnaryUnary: (continuation, details, request) => continuation(tag(details), request),
    interceptUnaryStream: (continuation, details, request) => continuation(tag(details), request),
    interceptStreamUnary: (continuation, details, requests) => continuation(tag(details), requests),
    interceptStreamStream: (continuation, details, requests) => continuation(tag(details), requests),
  };
}

async function texts(stream: AsyncIterable<Msg>): Promise<string[]> {
  const out: string[] = [];
  for await (const message of stream) out.push(message.text);
  return out;
}

checkLeaksAfterAll();

describe("client interceptors", () => {
  let t: TestServer;

  beforeAll(async () => {
    const servicer = {
      Unary: async (r: Msg, c: ServicerContext) => {
        if (r.text === "wait") await untilAborted(c.signal);
        if (r.text === "fail") c.abort(StatusCode.UNAVAILABLE, "try again");
        if (r.text === "deadline") return { text: String(c.timeRemaining()) };
        return seen("Unary", c, [r.text]);
      },
      Other: (r: Msg, c: ServicerContext) => seen("Other", c, [r.text]),
      async *ServerStream(r: Msg, c: ServicerContext) {
        yield seen("ServerStream", c, [r.text]);
        yield { text: "end" };
      },
      ClientStream: async (r: AsyncIterable<Msg>, c: ServicerContext) => seen("ClientStream", c, await collect(r)),
      async *Bidi(r: AsyncIterable<Msg>, c: ServicerContext) {
        for await (const m of r) yield seen("Bidi", c, [m.text]);
      },
    };
    t = await startTestServer((s) => s.addRegisteredMethodHandlers("test.I", servicerMethodHandlers(servicer, methods)));
  });
  afterAll(() => t.close());

  it("runs the first interceptor outermost, for all four kinds, whether given as an option or by interceptChannel", async () => {
    const log: string[] = [];
    const channel = insecureChannelUnderTest(t.target, { interceptors: [tagging("a", log), tagging("b", log)] });
    // Interceptors added around an intercepted channel run before the ones it already has.
    const outer = interceptChannel(channel, tagging("o", log));
    try {
      await expect(outer.unaryUnary(methods.Unary)({ text: "1" })).resolves.toEqual({ text: "Unary [o, a, b] 1" });
      await expect(texts(outer.unaryStream(methods.ServerStream)({ text: "2" }))).resolves.toEqual(["ServerStream [o, a, b] 2", "end"]);
      await expect(outer.streamUnary(methods.ClientStream)([{ text: "3" }, { text: "4" }])).resolves.toEqual({
        text: "ClientStream [o, a, b] 3 4",
      });
      await expect(texts(outer.streamStream(methods.Bidi)([{ text: "5" }]))).resolves.toEqual(["Bidi [o, a, b] 5"]);
      expect(log).toEqual(
        ["Unary", "ServerStream", "ClientStream", "Bidi"].flatMap((m) => ["o", "a", "b"].map((n) => `${n} /test.I/${m}`)),
      );
    } finally {
      outer.close();
    }
  });

  it("lets an interceptor replace the details: method, metadata and timeout reach the server", async () => {
    const reroute: ClientInterceptor = {
      interceptUnaryUnary(continuation, details, request) {
        expect(details.timeout).toBeGreaterThan(9);
        expect(details.timeout).toBeLessThanOrEqual(10);
        expect(details.metadata.get("tag")).toBe("caller");
        expect(details).toMatchObject({ credentials: null, waitForReady: true, compression: null });
        const method = (request as Msg).text === "reroute" ? "/test.I/Other" : details.method;
        return continuation({ ...details, method, timeout: 2 }, request);
      },
    };
    const channel = interceptChannel(t.channel, reroute);
    const unary = channel.unaryUnary(methods.Unary);
    const options = { timeout: 10, metadata: { tag: "caller" }, waitForReady: true };
    await expect(unary({ text: "reroute" }, options)).resolves.toEqual({ text: "Other [caller] reroute" });
    const remaining = Number((await unary({ text: "deadline" }, options)).text);
    expect(remaining).toBeGreaterThan(1);
    expect(remaining).toBeLessThanOrEqual(2);
  });

  it("lets an interceptor observe the outcome of unary and streaming calls", async () => {
    const outcomes: string[] = [];
    const observe: ClientInterceptor = {
      interceptUnaryUnary(continuation, details, request) {
        const future = continuation(details, request);
        future.addDoneCallback((f) => void f.code().then((code) => outcomes.push(`${details.method} ${StatusCode[code]}`)));
        return future;
      },
      interceptUnaryStream(continuation, details, request) {
        const stream = continuation(details, request);
        stream.addCallback(() => void stream.code().then((code) => outcomes.push(`${details.method} ${StatusCode[code]}`)));
        return stream;
      },
    };
    const channel = interceptChannel(t.channel, observe);
    await expect(channel.unaryUnary(methods.Unary)({ text: "fail" })).rejects.toBeInstanceOf(RpcError);
    await texts(channel.unaryStream(methods.ServerStream)({ text: "x" }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes).toEqual(["/test.I/Unary UNAVAILABLE", "/test.I/ServerStream OK"]);
  });

  it("lets an interceptor answer without calling on, and wrap the request stream", async () => {
    const gate: ClientInterceptor = {
      interceptUnaryUnary(continuation, details, request) {
        if (!details.metadata.has("authorization")) {
          return callFutureFrom(async () => {
            throw new RpcError(StatusCode.UNAUTHENTICATED, "log in first");
          });
        }
        return continuation(details, request);
      },
      interceptStreamStream(continuation, details, requests) {
        async function* shout() {
          for await (const request of requests as AsyncIterable<Msg>) yield { text: request.text.toUpperCase() };
        }
        return continuation(details, shout());
      },
    };
    const channel = interceptChannel(t.channel, gate);
    const error = (await channel
      .unaryUnary(methods.Unary)({ text: "x" })
      .catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.UNAUTHENTICATED);
    const [, call] = await channel.unaryUnary(methods.Unary).withCall({ text: "x" }, { metadata: { authorization: "yes" } });
    expect(await call.code()).toBe(StatusCode.OK);
    // The chat form passes through too: write() feeds the request stream the interceptor sees.
    const chat = channel.streamStream(methods.Bidi)();
    const replies = chat[Symbol.asyncIterator]();
    await chat.write({ text: "hi" });
    await expect(replies.next()).resolves.toEqual({ done: false, value: { text: "Bidi [] HI" } });
    chat.doneWriting();
    await expect(chat.write({ text: "late" })).rejects.toThrow(/after doneWriting/);
    await expect(replies.next()).resolves.toMatchObject({ done: true });
    expect(await chat.code()).toBe(StatusCode.OK);
  });

  it("keeps the caller's AbortSignal in force through interceptors; a cancelled chat rejects writes", async () => {
    const channel = interceptChannel(t.channel, tagging("a", []));
    const controller = new AbortController();
    const pending = channel.unaryUnary(methods.Unary)({ text: "wait" }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ message: expect.stringMatching(/CANCELLED/) });
    const chat = channel.streamStream(methods.Bidi)();
    chat.cancel();
    const error = (await chat.write({ text: "x" }).catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code()).toBe(StatusCode.CANCELLED);
  });

  it("refuses objects that are not interceptors or channels", () => {
    expect(() => interceptChannel(t.channel, {} as ClientInterceptor)).toThrow(/at least one of interceptUnaryUnary/);
    expect(() => interceptChannel({} as never, tagging("a", []))).toThrow(/needs a Channel/);
    expect(interceptChannel(t.channel)).toBe(t.channel);
  });

  it("closes the underlying channel with the intercepted one", async () => {
    const inner = insecureChannelUnderTest(t.target);
    const channel = interceptChannel(inner, tagging("a", []));
    await channel.unaryUnary(methods.Unary)({ text: "x" });
    channel.close();
    expect(() => inner.unaryUnary(methods.Unary)({ text: "x" })).toThrow(/closed channel/);
  });
});

describe("callFutureFrom", () => {
  const call = () => {
    const md = new Metadata({ k: "v" });
    return {
      initialMetadata: async () => md,
      trailingMetadata: async () => md,
      code: async () => StatusCode.OK,
      details: async () => "fine",
      isActive: () => false,
      timeRemaining: () => 1.5,
      cancel: () => {},
      addCallback: () => false,
    };
  };

  it("resolves with the value and answers Call questions from the call it returned", async () => {
    const future: CallFuture<number> = callFutureFrom(async () => [42, call()]);
    expect(future.isActive()).toBe(true);
    expect(future.timeRemaining()).toBeNull();
    const ended = deferred();
    expect(future.addCallback(() => ended.resolve())).toBe(true);
    const seenWhenDone: (number | null)[] = [];
    future.addDoneCallback((f) => seenWhenDone.push(f.timeRemaining()));
    await expect(future).resolves.toBe(42);
    await ended.promise;
    expect(future.done()).toBe(true);
    expect(future.isActive()).toBe(false);
    expect(future.timeRemaining()).toBe(1.5);
    // The done-callbacks already see the call run returned.
    expect(seenWhenDone).toEqual([1.5]);
    expect(await future.details()).toBe("fine");
    expect((await future.trailingMetadata()).get("k")).toBe("v");
    expect(await future.exception()).toBeNull();
    expect(future.cancel()).toBe(false);
  });

  it("reports a failure as an RpcError (UNKNOWN for anything else), and the Call answers from it", async () => {
    const plain = callFutureFrom(async () => {
      throw new TypeError("oops");
    });
    const error = (await plain.exception()) as RpcError;
    expect(error.code()).toBe(StatusCode.UNKNOWN);
    expect(error.cause).toBeInstanceOf(TypeError);
    const rpc = callFutureFrom(async () => {
      throw new RpcError(StatusCode.NOT_FOUND, "gone", { trailingMetadata: { why: "deleted" } });
    });
    await expect(rpc.result()).rejects.toBeInstanceOf(RpcError);
    expect(await rpc.code()).toBe(StatusCode.NOT_FOUND);
    expect((await rpc.trailingMetadata()).get("why")).toBe("deleted");
  });

  it("tells a timeout (still running) from a cancel (done at once, signal aborted, even if run ignores it)", async () => {
    const release = deferred();
    let signal: AbortSignal | undefined;
    const future = callFutureFrom(async (s) => {
      signal = s;
      await release.promise;
      return [1, call()];
    });
    await expect(future.result({ timeout: 0.02 })).rejects.toBeInstanceOf(FutureTimeoutError);
    expect(future.running()).toBe(true);
    const done: boolean[] = [];
    future.addDoneCallback((f) => done.push(f.cancelled()));
    expect(future.cancel()).toBe(true);
    expect(signal?.aborted).toBe(true);
    expect(done).toEqual([true]);
    expect(future.done()).toBe(true);
    await expect(future.result()).rejects.toBeInstanceOf(FutureCancelledError);
    await expect(future.exception()).rejects.toBeInstanceOf(FutureCancelledError);
    expect(await future.code()).toBe(StatusCode.CANCELLED);
    release.resolve();
  });
});
