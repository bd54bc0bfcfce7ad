// The Server: start and stop as grpcio does them, the concurrency limit, routing precedence and
// server interceptors.
import { setTimeout as sleepWithSignal } from "node:timers/promises";
import {
  checkLeaksAfterAll,
  deferred,
  insecureChannelUnderTest,
  jsonMethod,
  jsonSerializers,
  rpcStatus,
  serverUnderTest,
  sleep,
  startTestServer,
  testServerTransport,
} from "@tsgrpc/test-utils";
import { Compression } from "../core/compression.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { server } from "../transports/server.js";
import {
  methodHandlersGenericHandler,
  type RpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "./method-handlers.js";
import type { ServerInterceptor } from "./server.js";

interface Msg {
  n?: number;
  text?: string;
}
const serializers = jsonSerializers<Msg, Msg>();
const unaryPath = "/test.Life/Unary";
const streamPath = "/test.Life/Stream";

/** A unary method whose handler runs `behaviour`. */
function lifeHandlers(behaviour: (request: Msg, context: ServicerContext) => Promise<Msg>) {
  return {
    Unary: unaryUnaryRpcMethodHandler(behaviour, serializers),
    Stream: unaryStreamRpcMethodHandler(async function* (request: Msg, context: ServicerContext) {
      for (let n = 0; n < (request.n ?? 1); n++) {
        await sleepWithSignal(20, undefined, { signal: context.signal });
        yield { n };
      }
    }, serializers),
  };
}

async function drain(stream: AsyncIterable<Msg>): Promise<Msg[]> {
  const out: Msg[] = [];
  for await (const m of stream) out.push(m);
  return out;
}

checkLeaksAfterAll();

describe("start", () => {
  it("answers UNAVAILABLE until start(); start() twice throws", async () => {
    const srv = serverUnderTest({ logger: null });
    srv.addRegisteredMethodHandlers(
      "test.Life",
      lifeHandlers(async () => ({ text: "hi" })),
    );
    const port = await srv.addInsecurePort("127.0.0.1:0");
    const channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
    try {
      const unary = channel.unaryUnary(jsonMethod<Msg, Msg>(unaryPath));
      expect(await rpcStatus(unary({}))).toEqual([StatusCode.UNAVAILABLE, "Server is not started"]);
      await srv.start();
      await expect(unary({})).resolves.toEqual({ text: "hi" });
      await expect(srv.start()).rejects.toThrow("Cannot start already-started server!");
    } finally {
      channel.close();
      await srv.stop(null);
    }
  });

  it("rejects a maximumConcurrentRpcs that is not a positive integer", () => {
    expect(() => serverUnderTest({ maximumConcurrentRpcs: 0 })).toThrow(RangeError);
    expect(() => serverUnderTest({ maximumConcurrentRpcs: 1.5 })).toThrow(RangeError);
  });
});

describe("maximumConcurrentRpcs", () => {
  it("answers RESOURCE_EXHAUSTED 'Concurrent RPC limit exceeded!' beyond the limit, and frees slots as RPCs end", async () => {
    const release = deferred();
    let running = 0;
    const t = await startTestServer(
      (s) =>
        s.addRegisteredMethodHandlers(
          "test.Life",
          lifeHandlers(async (request) => {
            running++;
            if (request.text === "hold") await release.promise;
            return { text: "done" };
          }),
        ),
      { maximumConcurrentRpcs: 2 },
    );
    try {
      const unary = t.channel.unaryUnary(jsonMethod<Msg, Msg>(unaryPath));
      const held = [unary({ text: "hold" }), unary({ text: "hold" })];
      while (running < 2) await sleep(5);
      expect(await rpcStatus(unary({}))).toEqual([StatusCode.RESOURCE_EXHAUSTED, "Concurrent RPC limit exceeded!"]);
      release.resolve();
      await Promise.all(held);
      await expect(unary({})).resolves.toEqual({ text: "done" });
    } finally {
      await t.close();
    }
  });
});

describe("stop(grace)", () => {
  const streamMethod = jsonMethod<Msg, Msg>(streamPath, { responseStream: true });

  it("refuses new RPCs at once and lets in-flight ones finish within the grace period", async () => {
    const t = await startTestServer((s) =>
      s.addRegisteredMethodHandlers(
        "test.Life",
        lifeHandlers(async () => ({})),
      ),
    );
    try {
      const stream = t.channel.unaryStream(streamMethod)({ n: 10 });
      const iterator = stream[Symbol.asyncIterator]();
      // In flight for sure: the first message has arrived.
      const first = await iterator.next();
      const inFlight = drain({ [Symbol.asyncIterator]: () => iterator }).then((rest) => [first.value, ...rest]);
      const stopped = t.server.stop(5);
      const refused = await rpcStatus(t.channel.unaryUnary(jsonMethod<Msg, Msg>(unaryPath))({}));
      expect(refused[0]).toBe(StatusCode.UNAVAILABLE);
      expect(await inFlight).toHaveLength(10);
      const started = Date.now();
      await stopped;
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await t.close();
    }
  });

  it("cancels in-flight RPCs once the grace period is over; the most restrictive grace wins", async () => {
    const finallyRan = deferred<boolean>();
    const entered = deferred();
    const t = await startTestServer((s) =>
      s.addRegisteredMethodHandlers("test.Life", {
        Unary: unaryUnaryRpcMethodHandler(async (_r: Msg, context: ServicerContext) => {
          try {
            entered.resolve();
            await sleepWithSignal(60_000, undefined, { signal: context.signal });
            return {};
          } finally {
            finallyRan.resolve(context.signal.aborted);
          }
        }, serializers),
      }),
    );
    try {
      const inFlight = rpcStatus(t.channel.unaryUnary(jsonMethod<Msg, Msg>(unaryPath))({}));
      await entered.promise;
      const started = Date.now();
      const first = t.server.stop(30);
      const second = t.server.stop(0.3);
      void t.server.stop(10);
      const [status] = await inFlight;
      const elapsed = Date.now() - started;
      expect([StatusCode.CANCELLED, StatusCode.UNAVAILABLE]).toContain(status);
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(300 + 500);
      await expect(finallyRan.promise).resolves.toBe(true);
      await Promise.all([first, second]);
      expect(first).toBe(second);
    } finally {
      await t.close();
    }
  });

  it("is idempotent: stopping a stopped server resolves at once", async () => {
    const t = await startTestServer(() => {});
    await t.server.stop(1);
    for (const grace of [null, 0, 5]) {
      const started = Date.now();
      await t.server.stop(grace);
      // "At once": no grace period is waited for again, whatever the grace asked for.
      expect(Date.now() - started).toBeLessThan(50);
    }
    await t.close();
  });

  it("waitForTermination(timeout) is true on timeout, false once stopped", async () => {
    const t = await startTestServer(() => {});
    try {
      await expect(t.server.waitForTermination(0.05)).resolves.toBe(true);
      const forever = t.server.waitForTermination();
      await t.server.stop(null);
      await expect(forever).resolves.toBe(false);
      await expect(t.server.waitForTermination(5)).resolves.toBe(false);
    } finally {
      await t.close();
    }
  });

  it("await using stops the server at the end of the scope", async () => {
    let port = 0;
    {
      await using srv = serverUnderTest();
      port = await srv.addInsecurePort("127.0.0.1:0");
      await srv.start();
    }
    const channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
    try {
      expect((await rpcStatus(channel.unaryUnary(jsonMethod<Msg, Msg>(unaryPath))({}, { timeout: 2 })))[0]).toBe(StatusCode.UNAVAILABLE);
    } finally {
      channel.close();
    }
  });
});

describe("routing and interceptors", () => {
  const reply = (text: string): RpcMethodHandler => unaryUnaryRpcMethodHandler(async () => ({ text }), serializers);

  it("registered handlers win over generic ones; generic handlers are asked in the order added", async () => {
    const asked: string[] = [];
    const t = await startTestServer((s) => {
      s.addGenericRpcHandlers(
        {
          methods: ["/test.Route/A", "/test.Route/B", "/test.Route/C"],
          service: (details) => {
            asked.push(`first ${details.method}`);
            return details.method === "/test.Route/B" ? reply("first generic") : null;
          },
        },
        methodHandlersGenericHandler("test.Route", { A: reply("second generic"), B: reply("second generic") }),
      );
      s.addRegisteredMethodHandlers("test.Route", { A: reply("registered") });
    });
    try {
      const call = (name: string) => t.channel.unaryUnary(jsonMethod<Msg, Msg>(`/test.Route/${name}`))({});
      await expect(call("A")).resolves.toEqual({ text: "registered" });
      await expect(call("B")).resolves.toEqual({ text: "first generic" });
      expect(await rpcStatus(call("C"))).toEqual([StatusCode.UNIMPLEMENTED, "Method not found!"]);
      expect(asked).toEqual(["first /test.Route/B", "first /test.Route/C"]);
    } finally {
      await t.close();
    }
  });

  it("runs interceptors in list order; they may wait, and wrap the handler's behaviour", async () => {
    const order: string[] = [];
    const logging = (name: string): ServerInterceptor => ({
      async interceptService(continuation, details) {
        order.push(`${name} before ${details.method}`);
        const handler = await continuation(details);
        order.push(`${name} after`);
        return handler;
      },
    });
    const shouting: ServerInterceptor = {
      interceptService(continuation, details) {
        const handler = continuation(details);
        if (!handler || handler instanceof Promise) return handler;
        const inner = handler.unaryUnary;
        if (!inner) return handler;
        return {
          ...handler,
          unaryUnary: async (request, context) => {
            const response = (await inner(request, context)) as Msg;
            return { text: response.text?.toUpperCase() };
          },
        };
      },
    };
    const t = await startTestServer((s) => s.addRegisteredMethodHandlers("test.Route", { A: reply("quiet") }), {
      interceptors: [logging("S1"), logging("S2"), shouting],
    });
    try {
      await expect(t.channel.unaryUnary(jsonMethod<Msg, Msg>("/test.Route/A"))({})).resolves.toEqual({ text: "QUIET" });
      expect(order).toEqual(["S1 before /test.Route/A", "S2 before /test.Route/A", "S2 after", "S1 after"]);
    } finally {
      await t.close();
    }
  });

  it("warns once, naming the transport, when PING policing is asked of one that cannot police PINGs", async () => {
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      for (const transport of ["grpc-js", "grpc-js", "node-http2"] as const) {
        await server({ transport, minClientPingInterval: 60, maxPingStrikes: 1 }).stop(null);
      }
      await server({ transport: "grpc-js" }).stop(null);
      expect(warnings.mock.calls.map(([w]) => String(w))).toEqual([
        "tsgrpc: minClientPingInterval and maxPingStrikes are not honoured on the grpc-js transport, which does not police client PINGs",
      ]);
    } finally {
      warnings.mockRestore();
    }
  });

  it("accepts a server-wide compression option and serves; grpc-js, which cannot honour it, warns once", async () => {
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const t = await startTestServer((s) => s.addRegisteredMethodHandlers("test.Route", { A: reply("plain") }), {
        compression: Compression.Gzip,
      });
      try {
        await expect(t.channel.unaryUnary(jsonMethod<Msg, Msg>("/test.Route/A"))({})).resolves.toEqual({ text: "plain" });
      } finally {
        await t.close();
      }
      const compression = warnings.mock.calls.filter(([w]) => String(w).includes("compression is not honoured"));
      expect(compression).toHaveLength(testServerTransport === "grpc-js" ? 1 : 0);
    } finally {
      warnings.mockRestore();
    }
  });
});
