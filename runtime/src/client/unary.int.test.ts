import {
  checkLeaksAfterAll,
  deferred,
  expectDeadlineEnding,
  jsonMethod,
  type ServerEnding,
  sleep,
  startTestServer,
  type TestServer,
  testClientTransport,
} from "@tsgrpc/test-utils";
import { FutureCancelledError, FutureTimeoutError } from "../core/future.js";
import { Metadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { methodHandlersGenericHandler, unaryUnaryRpcMethodHandler } from "../server/method-handlers.js";
import { servicerMethodHandlers } from "../server/servicer.js";

interface Req {
  name?: string;
  delayMs?: number;
}
interface Res {
  greeting: string;
}

const methods = {
  Hello: jsonMethod<Req, Res>("/test.Greeter/Hello"),
  Missing: jsonMethod<Req, Res>("/test.Greeter/Missing"),
};

checkLeaksAfterAll();

describe("unary-unary over a real server", () => {
  let t: TestServer;
  const seen = { metadata: new Metadata(), finallyRan: deferred<string>() };
  let behaviour: (request: Req, context: ServicerContext) => Promise<Res | undefined>;

  beforeAll(async () => {
    t = await startTestServer((s) => {
      s.addRegisteredMethodHandlers(
        "test.Greeter",
        servicerMethodHandlers({ Hello: (r: Req, c: ServicerContext) => behaviour(r, c) }, methods),
      );
    });
  });
  afterAll(() => t.close());

  const hello = () => t.channel.unaryUnary(methods.Hello);

  it("returns the response", async () => {
    behaviour = async (r) => ({ greeting: `hello ${r.name}` });
    await expect(hello()({ name: "tom" })).resolves.toEqual({ greeting: "hello tom" });
  });

  it("carries metadata both ways, -bin values included, and gives the Call with withCall", async () => {
    behaviour = async (_r, context) => {
      seen.metadata = context.invocationMetadata();
      context.sendInitialMetadata([["initial", "yes"]]);
      context.setTrailingMetadata({ trailing: "yes", "blob-bin": new Uint8Array([9, 8]) });
      return { greeting: "hi" };
    };
    const [response, call] = await hello().withCall(
      {},
      {
        metadata: [
          ["ip", "127.0.0.1"],
          ["data-bin", new Uint8Array([1, 2, 3])],
        ],
      },
    );
    expect(response).toEqual({ greeting: "hi" });
    expect(seen.metadata.get("ip")).toBe("127.0.0.1");
    expect(seen.metadata.get("data-bin")).toEqual(new Uint8Array([1, 2, 3]));
    expect(String(seen.metadata.get("user-agent"))).toMatch(testClientTransport === "grpc-js" ? /grpc-node-js/ : /^tsgrpc-node\/\S+$/);
    expect((await call.initialMetadata()).get("initial")).toBe("yes");
    const trailers = await call.trailingMetadata();
    expect(trailers.get("trailing")).toBe("yes");
    expect(trailers.get("blob-bin")).toEqual(new Uint8Array([9, 8]));
    expect(await call.code()).toBe(StatusCode.OK);
    expect(call.isActive()).toBe(false);
    expect(call.addCallback(() => {})).toBe(false);
  });

  it("rejects invalid metadata before anything is sent", () => {
    expect(() => hello()({}, { metadata: [["Bad Key", "x"]] })).toThrow(TypeError);
    expect(() => hello()({}, { metadata: { "x-bin": "not bytes" as never } })).toThrow(/Uint8Array/);
    expect(() => hello()({}, { metadata: { "grpc-timeout": "1S" } })).toThrow(/reserved/);
  });

  it("keeps the code, details and trailing metadata of a server error", async () => {
    behaviour = async (_r, context) => {
      context.setTrailingMetadata([["reason", "bad-name"]]);
      return context.abort(StatusCode.INVALID_ARGUMENT, "name is required");
    };
    const error = await hello()({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    const rpcError = error as RpcError;
    expect(rpcError.code()).toBe(StatusCode.INVALID_ARGUMENT);
    expect(rpcError.details()).toBe("name is required");
    expect(rpcError.trailingMetadata().get("reason")).toBe("bad-name");
    expect(rpcError.message).toBe("/test.Greeter/Hello INVALID_ARGUMENT: name is required");
    expect(rpcError.stack).toContain("unary.int.test.ts");
  });

  it("turns a thrown error into UNKNOWN with its message and no stack", async () => {
    behaviour = async () => {
      throw new Error("database is down");
    };
    const error = (await hello()({}).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.UNKNOWN);
    expect(error.details()).toBe("Exception calling application: database is down");
  });

  it("lets setCode before a throw win", async () => {
    behaviour = async (_r, context) => {
      context.setCode(StatusCode.PERMISSION_DENIED);
      throw new Error("x");
    };
    const error = (await hello()({}).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.PERMISSION_DENIED);
    expect(error.details()).toBe("Exception calling application: x");
  });

  it("answers INTERNAL when a unary handler returns nothing", async () => {
    behaviour = async () => undefined;
    const error = (await hello()({}).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.INTERNAL);
    expect(error.details()).toMatch(/returned undefined instead of a response message/);
  });

  it("answers UNIMPLEMENTED for a method the servicer lacks", async () => {
    const error = (await t.channel
      .unaryUnary(methods.Missing)({})
      .catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.UNIMPLEMENTED);
    expect(error.details()).toBe("Method not implemented!");
  });

  it("answers UNIMPLEMENTED for an unknown method path", async () => {
    const error = (await t.channel
      .unaryUnary(jsonMethod("/test.Nope/Nothing"))({})
      .catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.UNIMPLEMENTED);
  });

  it("fails with DEADLINE_EXCEEDED within the deadline and the handler sees it", async () => {
    const aborted = deferred<ServerEnding>();
    behaviour = async (_r, context) => {
      expect(context.timeRemaining()).toBeGreaterThan(0);
      await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve()));
      aborted.resolve({ active: context.isActive(), code: context.code() });
      return { greeting: "too late" };
    };
    const started = Date.now();
    const error = (await hello()({}, { timeout: 0.2 }).catch((e: unknown) => e)) as RpcError;
    const elapsed = Date.now() - started;
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(error.details()).toBe("Deadline Exceeded");
    expect(error.debugErrorString()).toMatch(/Deadline exceeded/i);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(200 + 500);
    expectDeadlineEnding(await aborted.promise);
  });

  it("has no deadline on either side without a timeout", async () => {
    let remaining: number | null = 0;
    behaviour = async (_r, context) => {
      remaining = context.timeRemaining();
      return { greeting: "" };
    };
    const future = hello().future({});
    expect(future.timeRemaining()).toBeNull();
    await future;
    expect(remaining).toBeNull();
  });

  it("cancels through future.cancel(): FutureCancelledError, CANCELLED, and the server sees it", async () => {
    const serverSaw = deferred<StatusCode | null>();
    const entered = deferred();
    behaviour = async (_r, context) => {
      entered.resolve();
      await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve()));
      serverSaw.resolve(context.code());
      return { greeting: "" };
    };
    const future = hello().future({});
    await entered.promise;
    expect(future.running()).toBe(true);
    expect(future.cancel()).toBe(true);
    await expect(future.result()).rejects.toBeInstanceOf(FutureCancelledError);
    expect(future.cancelled()).toBe(true);
    expect(future.done()).toBe(true);
    expect(future.cancel()).toBe(false);
    expect(await future.code()).toBe(StatusCode.CANCELLED);
    expect(await future.details()).toBe("Locally cancelled by application!");
    await expect(serverSaw.promise).resolves.toBe(StatusCode.CANCELLED);
  });

  it("cancels through an AbortSignal with RpcError CANCELLED", async () => {
    const entered = deferred();
    behaviour = async (_r, context) => {
      entered.resolve();
      await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve()));
      return { greeting: "" };
    };
    const controller = new AbortController();
    const pending = hello()({}, { signal: controller.signal });
    await entered.promise;
    controller.abort();
    const error = (await pending.catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code()).toBe(StatusCode.CANCELLED);
  });

  it("distinguishes a future's timeout from its cancellation", async () => {
    const release = deferred();
    behaviour = async () => {
      await release.promise;
      return { greeting: "late" };
    };
    const future = hello().future({});
    await expect(future.result({ timeout: 0.05 })).rejects.toBeInstanceOf(FutureTimeoutError);
    expect(future.running()).toBe(true);
    release.resolve();
    await expect(future.result({ timeout: 5 })).resolves.toEqual({ greeting: "late" });
    const callbacks: boolean[] = [];
    future.addDoneCallback((f) => callbacks.push(f.done()));
    expect(callbacks).toEqual([true]);
    expect(await future.exception()).toBeNull();
  });

  it("runs addCallback callbacks at the end of the RPC", async () => {
    behaviour = async (r) => {
      await sleep(r.delayMs ?? 0);
      return { greeting: "" };
    };
    const future = hello().future({ delayMs: 20 });
    const ended = deferred();
    expect(future.addCallback(() => ended.resolve())).toBe(true);
    await future;
    await ended.promise;
  });

  it("serves handlers registered through a generic handler", async () => {
    const srv = await startTestServer((s) => {
      s.addGenericRpcHandlers(
        methodHandlersGenericHandler("test.Generic", {
          Echo: unaryUnaryRpcMethodHandler((request: Uint8Array) => request),
        }),
      );
    });
    try {
      const echo = srv.channel.unaryUnary({
        path: "/test.Generic/Echo",
        requestStream: false,
        responseStream: false,
        serializeRequest: (b: Uint8Array) => b,
        deserializeRequest: (b: Uint8Array) => b,
        serializeResponse: (b: Uint8Array) => b,
        deserializeResponse: (b: Uint8Array) => b,
      });
      await expect(echo(new Uint8Array([1, 2, 3]))).resolves.toEqual(new Uint8Array([1, 2, 3]));
    } finally {
      await srv.close();
    }
  });
});
