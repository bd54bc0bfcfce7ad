// grpcio's status table (the texts of grpcio's grpc/_server.py), row by row, for each RPC kind it applies to: what
// status (and which messages) the client sees for each way a handler can end.
import {
  checkLeaksAfterAll,
  deferred,
  jsonMethod,
  jsonSerializers,
  type RpcKind,
  rpcKinds,
  rpcShapes,
  startTestServer,
  type TestServer,
} from "@tsgrpc/test-utils";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import type { ResponseIterable } from "../core/types.js";
import {
  streamStreamRpcMethodHandler,
  streamUnaryRpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "./method-handlers.js";
import type { ServerInterceptor } from "./server.js";
import { servicerMethodHandlers } from "./servicer.js";

interface Msg {
  n?: number;
}
const kinds = rpcKinds;
type Kind = RpcKind;
const responseStreaming = ["unaryStream", "streamStream"] as const;
const responseUnary = ["unaryUnary", "streamUnary"] as const;
const shapes = rpcShapes;
const echoMethods = {
  Unary: jsonMethod<Msg, Msg>("/test.Echo/Unary"),
  LegacyUnary: jsonMethod<Msg, Msg>("/test.Echo/LegacyUnary"),
  ServerStream: jsonMethod<Msg, Msg>("/test.Echo/ServerStream", shapes.unaryStream),
  ClientStream: jsonMethod<Msg, Msg>("/test.Echo/ClientStream", shapes.streamUnary),
  Bidi: jsonMethod<Msg, Msg>("/test.Echo/Bidi", shapes.streamStream),
};

/** The shape of a generated servicer base class (see fixtures/golden/default/echo/echo_grpc.ts). */
class EchoServicer {
  Unary(_request: Msg, context: ServicerContext): Msg {
    return context.abort(StatusCode.UNIMPLEMENTED, "Method not implemented!");
  }
  LegacyUnary(_request: Msg, context: ServicerContext): Msg {
    return context.abort(StatusCode.UNIMPLEMENTED, "Method not implemented!");
  }
  ServerStream(_request: Msg, context: ServicerContext): Iterable<Msg> {
    return context.abort(StatusCode.UNIMPLEMENTED, "Method not implemented!");
  }
  ClientStream(_requests: AsyncIterable<Msg>, context: ServicerContext): Msg {
    return context.abort(StatusCode.UNIMPLEMENTED, "Method not implemented!");
  }
  Bidi(_requests: AsyncIterable<Msg>, context: ServicerContext): Iterable<Msg> {
    return context.abort(StatusCode.UNIMPLEMENTED, "Method not implemented!");
  }
}
const serializers = jsonSerializers<Msg, Msg>();

/** What the handler of every kind does in the current test: gets the request(s), returns or yields. */
let behaviour: (input: unknown, context: ServicerContext) => unknown;
const handlerErrors: { method: string; error: unknown }[] = [];
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);

checkLeaksAfterAll();

// The suite's server lives in its own describe so that it is closed before the leak check runs.
describe("grpcio's status table", () => {
  let t: TestServer;
  beforeAll(async () => {
    process.on("unhandledRejection", recordUnhandled);
    const intercept: ServerInterceptor = {
      interceptService(continuation, details) {
        const mode = details.invocationMetadata.get("x-intercept");
        if (mode === "null") return null;
        if (mode === "throw") throw new Error("interceptor failed");
        return continuation(details);
      },
    };
    t = await startTestServer(
      (s) => {
        s.addRegisteredMethodHandlers("test.Status", {
          unaryUnary: unaryUnaryRpcMethodHandler((r, c) => behaviour(r, c) as Promise<Msg>, serializers),
          unaryStream: unaryStreamRpcMethodHandler((r, c) => behaviour(r, c) as ResponseIterable<Msg>, serializers),
          streamUnary: streamUnaryRpcMethodHandler((r, c) => behaviour(r, c) as Promise<Msg>, serializers),
          streamStream: streamStreamRpcMethodHandler((r, c) => behaviour(r, c) as ResponseIterable<Msg>, serializers),
        });
        // Overrides only Unary: every other method keeps the base class's UNIMPLEMENTED.
        class PartialEcho extends EchoServicer {
          override Unary(request: Msg) {
            return { n: request.n ?? 0 };
          }
        }
        s.addRegisteredMethodHandlers("test.Echo", servicerMethodHandlers(new PartialEcho(), echoMethods));
        // A plain object with some methods: the others are UNIMPLEMENTED too.
        s.addRegisteredMethodHandlers(
          "test.Plain",
          servicerMethodHandlers({ Unary: (r: Msg) => r }, { Unary: echoMethods.Unary, Bidi: echoMethods.Bidi }),
        );
      },
      { interceptors: [intercept], onHandlerError: (method, error) => handlerErrors.push({ method, error }) },
    );
  });
  afterAll(async () => {
    await t.close();
    process.off("unhandledRejection", recordUnhandled);
    expect(unhandled).toEqual([]);
  });
  beforeEach(() => {
    handlerErrors.length = 0;
  });

  interface Outcome {
    messages: Msg[];
    code: StatusCode;
    details: string;
    error: RpcError | null;
  }

  /** Calls `path` as an RPC of `kind` and reports what the client saw. */
  async function call(
    kind: Kind,
    options: { requests?: Msg[]; path?: string; metadata?: Record<string, string>; rawRequest?: Uint8Array } = {},
  ): Promise<Outcome> {
    const requests = options.requests ?? [{ n: 1 }];
    const method = jsonMethod<Msg, Msg>(options.path ?? `/test.Status/${kind}`, shapes[kind]);
    if (options.rawRequest) {
      const raw = options.rawRequest;
      method.serializeRequest = () => raw;
    }
    const callOptions = { metadata: options.metadata ?? {} };
    const messages: Msg[] = [];
    try {
      if (kind === "unaryUnary") messages.push(await t.channel.unaryUnary(method)(requests[0] ?? {}, callOptions));
      else if (kind === "unaryStream") {
        for await (const m of t.channel.unaryStream(method)(requests[0] ?? {}, callOptions)) messages.push(m);
      } else if (kind === "streamUnary") messages.push(await t.channel.streamUnary(method)(requests, callOptions));
      else for await (const m of t.channel.streamStream(method)(requests, callOptions)) messages.push(m);
      return { messages, code: StatusCode.OK, details: "", error: null };
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      return { messages, code: error.code(), details: error.details(), error };
    }
  }

  const isStreaming = (kind: Kind) => shapes[kind].responseStream;

  /** A behaviour of the right shape for `kind`: a function for unary responses, a generator for streams. */
  function shaped(kind: Kind, body: (context: ServicerContext) => Msg | undefined): (input: unknown, context: ServicerContext) => unknown {
    if (!isStreaming(kind)) return async (_input, context) => body(context);
    return async function* (_input, context) {
      yield body(context);
    };
  }

  describe("a handler that returns normally", () => {
    it.each(responseUnary)("%s: OK with the response", async (kind) => {
      behaviour = shaped(kind, () => ({ n: 7 }));
      expect(await call(kind)).toMatchObject({ code: StatusCode.OK, messages: [{ n: 7 }] });
    });

    it.each(responseUnary)("%s: a code set with setCode wins and the response is dropped", async (kind) => {
      behaviour = shaped(kind, (context) => {
        context.setCode(StatusCode.FAILED_PRECONDITION);
        context.setDetails("not now");
        return { n: 7 };
      });
      expect(await call(kind)).toMatchObject({ code: StatusCode.FAILED_PRECONDITION, details: "not now", messages: [] });
    });

    it.each(responseUnary)("%s: returning nothing is INTERNAL with a message that says so", async (kind) => {
      behaviour = shaped(kind, () => undefined);
      const outcome = await call(kind);
      expect(outcome.code).toBe(StatusCode.INTERNAL);
      expect(outcome.details).toBe(
        `Failed to serialize response! The handler of /test.Status/${kind} returned undefined instead of a response message`,
      );
    });

    it.each(responseUnary)("%s: returning nothing after setCode gives that code", async (kind) => {
      behaviour = shaped(kind, (context) => {
        context.setCode(StatusCode.NOT_FOUND);
        return undefined;
      });
      expect(await call(kind)).toMatchObject({ code: StatusCode.NOT_FOUND, details: "" });
    });

    it.each(responseStreaming)("%s: returning nothing instead of an iterable is INTERNAL", async (kind) => {
      behaviour = () => undefined;
      const outcome = await call(kind);
      expect(outcome.code).toBe(StatusCode.INTERNAL);
      expect(outcome.details).toBe(`The handler of /test.Status/${kind} returned undefined instead of an iterable of response messages`);
    });

    it.each(responseStreaming)("%s: a yielded null ends the stream with OK, after the messages before it", async (kind) => {
      const closed = deferred<boolean>();
      behaviour = function* () {
        try {
          yield { n: 1 };
          yield null;
          yield { n: 2 };
        } finally {
          closed.resolve(true);
        }
      };
      expect(await call(kind)).toMatchObject({ code: StatusCode.OK, messages: [{ n: 1 }] });
      await expect(closed.promise).resolves.toBe(true);
    });

    it.each(responseStreaming)("%s: any iterable works, sync or async, returned or awaited", async (kind) => {
      for (const make of [
        () => [{ n: 1 }, { n: 2 }],
        async () => [{ n: 1 }, { n: 2 }],
        () => new Set([{ n: 1 }, { n: 2 }]),
        async function* () {
          yield { n: 1 };
          yield Promise.resolve({ n: 2 });
        },
      ]) {
        behaviour = make;
        expect(await call(kind)).toMatchObject({ code: StatusCode.OK, messages: [{ n: 1 }, { n: 2 }] });
      }
    });

    it.each(responseStreaming)("%s: setCode on a stream ends it with that code after the messages", async (kind) => {
      behaviour = function* (_input: unknown, context: ServicerContext) {
        yield { n: 1 };
        context.setCode(StatusCode.ABORTED);
        context.setDetails("partial");
      };
      expect(await call(kind)).toMatchObject({ code: StatusCode.ABORTED, details: "partial", messages: [{ n: 1 }] });
    });
  });

  describe("a handler that throws", () => {
    it.each(kinds)("%s: UNKNOWN 'Exception calling application: …', no stack to the client, the error to the hook", async (kind) => {
      const thrown = new Error("database is down");
      behaviour = () => {
        throw thrown;
      };
      const outcome = await call(kind);
      expect(outcome).toMatchObject({ code: StatusCode.UNKNOWN, details: "Exception calling application: database is down" });
      for (const [, value] of outcome.error?.trailingMetadata() ?? []) expect(String(value)).not.toMatch(/\bat /);
      expect(outcome.error?.debugErrorString()).not.toContain(__filename);
      expect(handlerErrors).toEqual([{ method: `/test.Status/${kind}`, error: thrown }]);
    });

    it.each(kinds)("%s: a rejected promise is the same as a throw", async (kind) => {
      behaviour = async () => {
        throw new Error("later");
      };
      expect(await call(kind)).toMatchObject({ code: StatusCode.UNKNOWN, details: "Exception calling application: later" });
    });

    it.each(kinds)("%s: setCode and setDetails before a throw win", async (kind) => {
      behaviour = (_input, context) => {
        context.setCode(StatusCode.PERMISSION_DENIED);
        throw new Error("x");
      };
      expect(await call(kind)).toMatchObject({ code: StatusCode.PERMISSION_DENIED, details: "Exception calling application: x" });
      behaviour = (_input, context) => {
        context.setCode(StatusCode.PERMISSION_DENIED);
        context.setDetails("you may not");
        throw new Error("x");
      };
      expect(await call(kind)).toMatchObject({ code: StatusCode.PERMISSION_DENIED, details: "you may not" });
    });

    it.each(kinds)("%s: an error whose message cannot be read gives grpcio's 'unprintable' text", async (kind) => {
      const unprintable = new Error();
      Object.defineProperty(unprintable, "message", {
        get() {
          throw new Error("no");
        },
      });
      behaviour = () => {
        throw unprintable;
      };
      expect(await call(kind)).toMatchObject({ code: StatusCode.UNKNOWN, details: "Calling application raised unprintable Exception!" });
    });

    it.each(kinds)("%s: a thrown RpcError ends the RPC with its code, details and trailers", async (kind) => {
      behaviour = () => {
        throw new RpcError(StatusCode.OUT_OF_RANGE, "too far", { trailingMetadata: { limit: "10" } });
      };
      const outcome = await call(kind);
      expect(outcome).toMatchObject({ code: StatusCode.OUT_OF_RANGE, details: "too far" });
      expect(outcome.error?.trailingMetadata().get("limit")).toBe("10");
      expect(handlerErrors).toEqual([]);
    });

    it.each(kinds)("%s: abort() ends the RPC with its code and details; abort(OK) is UNKNOWN with no details", async (kind) => {
      behaviour = (_input, context) => context.abort(StatusCode.NOT_FOUND, "no such user");
      expect(await call(kind)).toMatchObject({ code: StatusCode.NOT_FOUND, details: "no such user" });
      behaviour = (_input, context) => context.abort(StatusCode.OK, "all good?");
      expect(await call(kind)).toMatchObject({ code: StatusCode.UNKNOWN, details: "" });
    });

    it.each(kinds)("%s: abort() wins even if the handler catches it and returns", async (kind) => {
      behaviour = shaped(kind, (context) => {
        try {
          context.abort(StatusCode.UNAUTHENTICATED, "who are you");
        } catch {
          // swallowed: grpcio still sends the aborted status
        }
        return { n: 1 };
      });
      expect(await call(kind)).toMatchObject({ code: StatusCode.UNAUTHENTICATED, details: "who are you", messages: [] });
    });

    it.each(responseStreaming)("%s: a generator throwing before its first yield: 'Exception iterating responses: …'", async (kind) => {
      behaviour = function* () {
        throw new Error("boom");
      };
      expect(await call(kind)).toMatchObject({ code: StatusCode.UNKNOWN, details: "Exception iterating responses: boom", messages: [] });
    });

    it.each(responseStreaming)("%s: a throw mid-stream gives its status after the messages already sent", async (kind) => {
      behaviour = async function* () {
        yield { n: 1 };
        yield { n: 2 };
        throw new Error("boom");
      };
      expect(await call(kind)).toMatchObject({
        code: StatusCode.UNKNOWN,
        details: "Exception iterating responses: boom",
        messages: [{ n: 1 }, { n: 2 }],
      });
    });

    it.each(responseStreaming)(
      "%s: a generator whose finally throws ends with what finally threw (JavaScript semantics), after its messages",
      async (kind) => {
        behaviour = function* () {
          try {
            yield { n: 1 };
            throw new Error("first");
          } finally {
            // biome-ignore lint: the point of the test.
            throw new Error("from finally");
          }
        };
        const outcome = await call(kind);
        expect(outcome.code).toBe(StatusCode.UNKNOWN);
        expect(outcome.messages).toEqual([{ n: 1 }]);
        expect(outcome.details).toBe("Exception iterating responses: from finally");
      },
    );
  });

  describe("a handler error never reaches the process", () => {
    it.each(responseStreaming)("%s: a finally that throws while the RPC is cancelled is reported to the hook", async (kind) => {
      const finallyError = new Error("from finally on cancel");
      behaviour = async function* (_input: unknown, context: ServicerContext) {
        try {
          yield { n: 1 };
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
          yield { n: 2 };
        } finally {
          // biome-ignore lint: the point of the test.
          throw finallyError;
        }
      };
      const method = jsonMethod<Msg, Msg>(`/test.Status/${kind}`, shapes[kind]);
      const responses = kind === "unaryStream" ? t.channel.unaryStream(method)({}) : t.channel.streamStream(method)([{}]);
      for await (const _ of responses) break;
      for (let i = 0; i < 100 && handlerErrors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(handlerErrors).toEqual([{ method: `/test.Status/${kind}`, error: finallyError }]);
      behaviour = shaped(kind, () => ({ n: 3 }));
      expect(await call(kind)).toMatchObject({ code: StatusCode.OK, messages: [{ n: 3 }] });
    });
  });

  describe("requests the handler cannot use", () => {
    it.each(kinds)("%s: a request that fails to decode is INTERNAL 'Exception deserializing request!'", async (kind) => {
      let handlerSaw: unknown = null;
      behaviour = async function* (input: unknown) {
        try {
          for await (const _ of input as AsyncIterable<Msg>) yield { n: 1 };
        } catch (error) {
          handlerSaw = error;
          throw error;
        }
      };
      if (!isStreaming(kind)) {
        behaviour = async (input) => {
          for await (const _ of input as AsyncIterable<Msg>) {
            // drain
          }
          return { n: 1 };
        };
      }
      const outcome = await call(kind, { rawRequest: new Uint8Array([0xff, 0x00]) });
      expect(outcome).toMatchObject({ code: StatusCode.INTERNAL, details: "Exception deserializing request!", messages: [] });
      if (kind === "streamStream") expect(handlerSaw).toBeInstanceOf(RpcError);
    });

    it("client streaming: the status stays INTERNAL even if the handler swallows the decode error", async () => {
      behaviour = async (input) => {
        try {
          for await (const _ of input as AsyncIterable<Msg>) {
            // drain
          }
        } catch {
          // swallowed
        }
        return { n: 1 };
      };
      expect(await call("streamUnary", { rawRequest: new Uint8Array([0xff]) })).toMatchObject({
        code: StatusCode.INTERNAL,
        details: "Exception deserializing request!",
      });
    });

    it.each(["unaryUnary", "unaryStream"] as const)(
      "%s: zero or two request messages are UNIMPLEMENTED, and the handler never runs",
      async (kind) => {
        let ran = false;
        behaviour = shaped(kind, () => {
          ran = true;
          return { n: 1 };
        });
        const path = `/test.Status/${kind}`;
        // Registered unary-unary methods take grpc-js's cheaper unary path, whose own wording
        // answers this protocol violation before any handler code runs.
        const details =
          kind === "unaryUnary" ? expect.stringMatching(/request message/) : `"${path}" requires exactly one request message.`;
        const expected = { code: StatusCode.UNIMPLEMENTED, details };
        expect(await call("streamUnary", { path, requests: [] })).toMatchObject(expected);
        expect(await call("streamStream", { path, requests: [{ n: 1 }, { n: 2 }] })).toMatchObject(expected);
        expect(ran).toBe(false);
      },
    );
  });

  describe("routing", () => {
    it.each(kinds)("%s: an unknown method path is UNIMPLEMENTED", async (kind) => {
      expect((await call(kind, { path: `/test.Nowhere/${kind}` })).code).toBe(StatusCode.UNIMPLEMENTED);
    });

    it.each(kinds)("%s: a method the servicer does not override is UNIMPLEMENTED 'Method not implemented!'", async (kind) => {
      const path = {
        unaryUnary: "/test.Echo/LegacyUnary",
        unaryStream: "/test.Echo/ServerStream",
        streamUnary: "/test.Echo/ClientStream",
        streamStream: "/test.Echo/Bidi",
      }[kind];
      expect(await call(kind, { path })).toMatchObject({ code: StatusCode.UNIMPLEMENTED, details: "Method not implemented!" });
    });

    it("the overridden methods of a partial servicer work; a plain object's missing ones are UNIMPLEMENTED", async () => {
      await expect(t.channel.unaryUnary(echoMethods.Unary)({ n: 4 })).resolves.toEqual({ n: 4 });
      expect(await call("streamStream", { path: "/test.Plain/Bidi" })).toMatchObject({
        code: StatusCode.UNIMPLEMENTED,
        details: "Method not implemented!",
      });
      await expect(t.channel.unaryUnary(jsonMethod<Msg, Msg>("/test.Plain/Unary"))({ n: 5 })).resolves.toEqual({ n: 5 });
    });

    it.each(kinds)("%s: an interceptor returning null is UNIMPLEMENTED 'Method not found!'", async (kind) => {
      behaviour = shaped(kind, () => ({ n: 1 }));
      expect(await call(kind, { metadata: { "x-intercept": "null" } })).toMatchObject({
        code: StatusCode.UNIMPLEMENTED,
        details: "Method not found!",
      });
    });

    it.each(kinds)("%s: an interceptor that throws is UNKNOWN 'Error in service handler!'", async (kind) => {
      expect(await call(kind, { metadata: { "x-intercept": "throw" } })).toMatchObject({
        code: StatusCode.UNKNOWN,
        details: "Error in service handler!",
      });
      expect(handlerErrors.map((e) => e.method)).toEqual([`/test.Status/${kind}`]);
    });
  });
});
