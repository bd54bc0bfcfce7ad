// ServicerContext over a real server: every member of API.md, seen from the client where it shows.
import {
  checkLeaksAfterAll,
  deferred,
  jsonMethod,
  jsonSerializers,
  sleep,
  startTestServer,
  type TestServer,
  testServerTransport,
} from "@tsgrpc/test-utils";
import { Compression } from "../core/compression.js";
import type { Metadata } from "../core/metadata.js";
import { toStatus } from "../core/rich-status.js";
import type { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import type { ResponseIterable } from "../core/types.js";
import { unaryStreamRpcMethodHandler, unaryUnaryRpcMethodHandler } from "./method-handlers.js";

interface Msg {
  n?: number;
}
const unaryMethod = jsonMethod<Msg, Msg>("/test.Context/Unary");
const streamMethod = jsonMethod<Msg, Msg>("/test.Context/Stream", { responseStream: true });
const serializers = jsonSerializers<Msg, Msg>();

let unary: (request: Msg, context: ServicerContext) => Promise<Msg>;
let stream: (request: Msg, context: ServicerContext) => ResponseIterable<Msg>;

checkLeaksAfterAll();

describe("ServicerContext", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer((s) => {
      s.addRegisteredMethodHandlers("test.Context", {
        Unary: unaryUnaryRpcMethodHandler((r: Msg, c) => unary(r, c), serializers),
        Stream: unaryStreamRpcMethodHandler((r: Msg, c) => stream(r, c), serializers),
      });
    });
  });
  afterAll(() => t.close());

  const callUnary = (options: { timeout?: number; metadata?: Record<string, string> } = {}) =>
    t.channel.unaryUnary(unaryMethod).withCall({}, options);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error("expected the RPC to fail");
      },
      (error: unknown) => error as RpcError,
    );
  async function collect(request: Msg = {}): Promise<{ messages: Msg[]; error: RpcError | null }> {
    const messages: Msg[] = [];
    try {
      for await (const m of t.channel.unaryStream(streamMethod)(request)) messages.push(m);
      return { messages, error: null };
    } catch (error) {
      return { messages, error: error as RpcError };
    }
  }

  it("abortWithStatus with a plain Status sets its trailing metadata; toStatus refuses OK and unknown codes", async () => {
    unary = async (_r, context) =>
      context.abortWithStatus({ code: StatusCode.ABORTED, details: "via status", trailingMetadata: [["why", "conflict"]] });
    const error = await failure(callUnary());
    expect([error.code(), error.details(), error.trailingMetadata().get("why")]).toEqual([StatusCode.ABORTED, "via status", "conflict"]);
    expect(error.statusDetails()).toBeNull();
    expect(() => toStatus({ code: StatusCode.OK, message: "", details: [] })).toThrow(RangeError);
    expect(() => toStatus({ code: 99, message: "", details: [] })).toThrow(RangeError);
  });

  it("sendInitialMetadata sends headers once; a second call throws a clear error", async () => {
    const second = deferred<unknown>();
    unary = async (_r, context) => {
      context.sendInitialMetadata({ first: "yes" });
      try {
        context.sendInitialMetadata({ second: "yes" });
      } catch (error) {
        second.resolve(error);
      }
      return {};
    };
    const [, call] = await callUnary();
    expect((await call.initialMetadata()).get("first")).toBe("yes");
    expect((await call.initialMetadata()).get("second")).toBeUndefined();
    expect(String(await second.promise)).toMatch(
      /Initial metadata no longer allowed! \(\/test\.Context\/Unary: sendInitialMetadata may be called once, before the first response message\)/,
    );
  });

  it("sendInitialMetadata after the first streamed message throws, and the stream carries on", async () => {
    const late = deferred<unknown>();
    stream = async function* (_r, context) {
      yield { n: 1 };
      try {
        context.sendInitialMetadata({ late: "yes" });
      } catch (error) {
        late.resolve(error);
      }
      yield { n: 2 };
    };
    expect(await collect()).toEqual({ messages: [{ n: 1 }, { n: 2 }], error: null });
    expect(String(await late.promise)).toMatch(/Initial metadata no longer allowed!/);
  });

  it("sendInitialMetadata and setTrailingMetadata reject reserved keys", async () => {
    const errors = deferred<string[]>();
    unary = async (_r, context) => {
      const seen: string[] = [];
      for (const act of [
        () => context.sendInitialMetadata({ "grpc-status": "0" }),
        () => context.setTrailingMetadata({ "content-type": "x" }),
      ]) {
        try {
          act();
        } catch (error) {
          seen.push((error as Error).name);
        }
      }
      errors.resolve(seen);
      return {};
    };
    await callUnary();
    expect(await errors.promise).toEqual(["TypeError", "TypeError"]);
  });

  it("setTrailingMetadata: the last call wins, trailingMetadata() returns it", async () => {
    const seen = deferred<Metadata>();
    unary = async (_r, context) => {
      context.setTrailingMetadata({ a: "1" });
      context.setTrailingMetadata([
        ["b", "2"],
        ["c", "3"],
      ]);
      seen.resolve(context.trailingMetadata());
      return {};
    };
    const [, call] = await callUnary();
    const trailers = await call.trailingMetadata();
    expect(trailers.get("a")).toBeUndefined();
    expect([trailers.get("b"), trailers.get("c")]).toEqual(["2", "3"]);
    expect(Object.fromEntries(await seen.promise)).toEqual({ b: "2", c: "3" });
  });

  it("code() and details(): null until set, what was set while running, the final status after the end", async () => {
    const contexts: ServicerContext[] = [];
    const during: unknown[] = [];
    unary = async (_r, context) => {
      contexts.push(context);
      during.push(context.code(), context.details());
      context.setDetails("fine");
      during.push(context.code(), context.details());
      return {};
    };
    await callUnary();
    expect(during).toEqual([null, null, null, "fine"]);
    expect([contexts[0]?.code(), contexts[0]?.details()]).toEqual([StatusCode.OK, "fine"]);

    unary = async (_r, context) => {
      contexts.push(context);
      return context.abort(StatusCode.NOT_FOUND, "gone");
    };
    await failure(callUnary());
    expect([contexts[1]?.code(), contexts[1]?.details()]).toEqual([StatusCode.NOT_FOUND, "gone"]);

    unary = async (_r, context) => {
      contexts.push(context);
      throw new Error("boom");
    };
    await failure(callUnary());
    expect([contexts[2]?.code(), contexts[2]?.details()]).toEqual([StatusCode.UNKNOWN, "Exception calling application: boom"]);
  });

  it("timeRemaining() is null without a deadline and the seconds left with one", async () => {
    const remaining: (number | null)[] = [];
    unary = async (_r, context) => {
      remaining.push(context.timeRemaining());
      return {};
    };
    await callUnary();
    await callUnary({ timeout: 30 });
    expect(remaining[0]).toBeNull();
    expect(remaining[1]).toBeGreaterThan(25);
    expect(remaining[1]).toBeLessThanOrEqual(30);
  });

  it("isActive() and addCallback(): active while serving, callbacks at the end, false afterwards", async () => {
    const events: string[] = [];
    let saved: ServicerContext | undefined;
    unary = async (_r, context) => {
      saved = context;
      events.push(`active ${context.isActive()}`);
      expect(context.addCallback(() => events.push("callback 1"))).toBe(true);
      context.addCallback(() => {
        throw new Error("a broken callback");
      });
      context.addCallback(() => events.push("callback 3"));
      return {};
    };
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      await callUnary();
      expect(events).toEqual(["active true", "callback 1", "callback 3"]);
      expect(saved?.isActive()).toBe(false);
      expect(saved?.addCallback(() => events.push("too late"))).toBe(false);
      expect(String(warnings.mock.calls[0]?.[0])).toMatch(/a done callback threw: Error: a broken callback/);
    } finally {
      warnings.mockRestore();
    }
    // The server carries on.
    unary = async () => ({ n: 1 });
    const [response] = await callUnary();
    expect(response).toEqual({ n: 1 });
  });

  it("cancel() ends the RPC with CANCELLED for the client, aborts the signal and runs callbacks", async () => {
    const seen = deferred<string>();
    stream = async function* (_r, context) {
      yield { n: 1 };
      context.addCallback(() => seen.resolve(`${context.signal.aborted} ${context.isActive()} ${context.code()}`));
      context.cancel();
      context.cancel();
      yield { n: 2 };
    };
    const { messages, error } = await collect();
    expect(messages).toEqual([{ n: 1 }]);
    expect(error?.code()).toBe(StatusCode.CANCELLED);
    await expect(seen.promise).resolves.toBe(`true false ${StatusCode.CANCELLED}`);
  });

  it("peer(), authContext(), peerIdentities() and peerIdentityKey() on an insecure connection, as grpcio gives them", async () => {
    const seen = deferred<ServicerContext>();
    unary = async (_r, context) => {
      context.authContext();
      seen.resolve(context);
      return {};
    };
    await callUnary();
    // Asked after the RPC ended: the answers were kept.
    const context = await seen.promise;
    expect(context.peer()).toMatch(/^ipv4:127\.0\.0\.1:\d+$/);
    const text = new TextDecoder();
    const auth = Object.fromEntries(Object.entries(context.authContext()).map(([k, v]) => [k, v.map((b) => text.decode(b))]));
    expect(auth).toEqual({ transport_security_type: ["insecure"], security_level: ["TSI_SECURITY_NONE"] });
    expect(context.peerIdentities()).toBeNull();
    expect(context.peerIdentityKey()).toBeNull();
  });

  it("invocationMetadata() has the client's keys and the transport's user-agent", async () => {
    const seen = deferred<Metadata>();
    unary = async (_r, context) => {
      seen.resolve(context.invocationMetadata());
      return {};
    };
    await callUnary({ metadata: { ip: "10.0.0.1" } });
    const metadata = Object.fromEntries(await seen.promise);
    expect(metadata.ip).toBe("10.0.0.1");
    expect(String(metadata["user-agent"])).toMatch(/grpc-node-js/);
  });

  it("setCompression and disableNextMessageCompression are accepted; on grpc-js, which cannot honour them, they warn once", async () => {
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      stream = async function* (_r, context) {
        context.setCompression(Compression.Gzip);
        yield { n: 1 };
        context.disableNextMessageCompression();
        yield { n: 2 };
      };
      expect(await collect()).toEqual({ messages: [{ n: 1 }, { n: 2 }], error: null });
      expect(await collect()).toEqual({ messages: [{ n: 1 }, { n: 2 }], error: null });
      const compressionWarnings = warnings.mock.calls.filter(([w]) => String(w).includes("compression"));
      if (testServerTransport === "grpc-js") {
        expect(compressionWarnings).toHaveLength(1);
        expect(String(compressionWarnings[0]?.[0])).toMatch(/not honoured on the grpc-js transport/);
      } else {
        // Honoured (server-compression.int.test.ts reads the wire): nothing to warn about.
        expect(compressionWarnings).toHaveLength(0);
      }
    } finally {
      warnings.mockRestore();
    }
  });

  it("the signal is not aborted when an RPC completes normally", async () => {
    let saved: ServicerContext | undefined;
    unary = async (_r, context) => {
      saved = context;
      return {};
    };
    await callUnary();
    await sleep(10);
    expect(saved?.signal.aborted).toBe(false);
  });
});
