// Handler errors on a real server: what the client sees (grpcio's UNKNOWN "Exception calling
// application: …", or a fixed text), what the onHandlerError hook sees (every error), and what the
// logger gets (the first error per method and error class with its stack, then a count per window),
// so that a handler failing on every call cannot flood the logs.
import * as path from "node:path";
import {
  checkLeaksAfterAll,
  forkTs,
  insecureChannelUnderTest,
  jsonMethod,
  jsonSerializers,
  serverUnderTest,
  sleep,
  startTestServer,
  type TestServer,
  type TsChild,
} from "@tsgrpc/test-utils";
import type { Channel } from "../client/channel.js";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { unaryStreamRpcMethodHandler, unaryUnaryRpcMethodHandler } from "./method-handlers.js";
import type { ServerOptions } from "./server.js";

checkLeaksAfterAll();

/** Makes `total` calls, `concurrency` at a time; resolves to each call's outcome. */
async function callMany(total: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  for (let start = 0; start < total; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, total - start) }, (_, k) =>
      call(start + k).then(
        () => "resolved",
        (error: unknown) => error,
      ),
    );
    outcomes.push(...(await Promise.all(batch)));
  }
  return outcomes;
}

/** The counts of the summary lines in `stderr`, by method path and error class. */
function summaries(stderr: string): { method: string; errorClass: string; count: number }[] {
  const pattern = /tsgrpc: the handler of (\S+) failed ([\d,]+) more times? with (\S+) in the last [\d.]+ s/g;
  return [...stderr.matchAll(pattern)].map((m) => ({ method: m[1]!, count: Number(m[2]!.replace(/,/g, "")), errorClass: m[3]! }));
}

describe.each([
  ["default options", []],
  ["an onHandlerError hook", ["hook"]],
])("a handler that throws on every call, server in a child process with %s", (_name, args) => {
  let child: TsChild;
  let channel: Channel;
  let stderr = "";
  let stderrBytes = 0;
  const withHook = args.includes("hook");
  beforeAll(async () => {
    child = forkTs(path.join(__dirname, "testdata", "throwing-server.ts"), ["0.5", ...args], { pipeStderr: true });
    child.process.stderr!.on("data", (chunk: Buffer) => {
      stderrBytes += chunk.length;
      stderr += chunk.toString("utf8");
    });
    const { port } = await child.message<{ port?: number }>((m) => m.port !== undefined);
    channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
  }, 30_000);
  afterAll(async () => {
    channel.close();
    await child.close();
  });

  test(`2,000 throws: every call gets UNKNOWN with the message, ${withHook ? "the hook sees all, " : ""}stderr gets the first with its stack and counts of the rest, under 64 KB`, async () => {
    const getUser = channel.unaryUnary(jsonMethod<{ id: number }, object>("/test.Users/GetUser"));
    const outcomes = await callMany(2_000, 50, (i) => getUser({ id: i }));
    outcomes.forEach((outcome, i) => {
      expect(outcome).toBeInstanceOf(RpcError);
      expect((outcome as RpcError).code()).toBe(StatusCode.UNKNOWN);
      expect((outcome as RpcError).details()).toBe(`Exception calling application: no user ${i}`);
    });
    if (withHook) {
      const counted = child.message<{ hookSaw?: number }>((m) => m.hookSaw !== undefined);
      child.process.send("count?");
      expect((await counted).hookSaw).toBe(2_000);
    }

    // A summary is written while the server runs (by the window's timer); stopping it writes the rest.
    const until = Date.now() + 5_000;
    while (summaries(stderr).length === 0 && Date.now() < until) await sleep(20);
    const summariesWhileRunning = summaries(stderr).length;
    const closed = new Promise((resolve) => child.process.once("close", resolve));
    child.process.send("stop");
    await closed;
    expect(child.process.exitCode).toBe(0);
    expect(stderrBytes).toBeLessThanOrEqual(64 * 1024);
    expect(summariesWhileRunning).toBeGreaterThan(0);

    // The first error is logged with its stack and the other 1,999 counted. (A machine so loaded
    // that the client paused for a whole window would see the error in full once more, by design.)
    const stacks =
      stderr.match(/TsgrpcHandlerError: tsgrpc: the handler of \/test\.Users\/GetUser failed: Error: no user \d+\n\s+at /g) ?? [];
    const counted = summaries(stderr).reduce((sum, s) => sum + s.count, 0);
    for (const s of summaries(stderr)) expect(s).toMatchObject({ method: "/test.Users/GetUser", errorClass: "UserNotFoundError" });
    expect(stacks.length).toBeGreaterThanOrEqual(1);
    expect(stacks.length + counted).toBe(2_000);
  }, 60_000);
});

interface Request {
  throw?: "TypeError" | "RangeError" | "string" | "RpcError";
  i?: number;
  setCode?: boolean;
  setDetails?: boolean;
}
const serializers = jsonSerializers<Request, object>();

/** What a request asks the handler to throw. */
function thrown(request: Request): unknown {
  const i = request.i ?? 0;
  if (request.throw === "TypeError") return new TypeError(`bad user ${i} in /var/db/users`);
  if (request.throw === "RangeError") return new RangeError(`page ${i} out of range`);
  if (request.throw === "RpcError") return new RpcError(StatusCode.NOT_FOUND, `no user ${i}`);
  return `a string ${i}`;
}

function prepare(request: Request, context: ServicerContext): void {
  if (request.setCode) context.setCode(StatusCode.PERMISSION_DENIED);
  if (request.setDetails) context.setDetails("you may not");
}

/** A server on 127.0.0.1 whose handlers throw what each request asks, logging to `lines`. */
function startThrowingServer(lines: string[], options: ServerOptions): Promise<TestServer> {
  return startTestServer(
    (s) =>
      s.addRegisteredMethodHandlers("test.Errors", {
        Throw: unaryUnaryRpcMethodHandler((request: Request, context) => {
          prepare(request, context);
          throw thrown(request);
        }, serializers),
        Stream: unaryStreamRpcMethodHandler(function* (request: Request, context) {
          yield {};
          prepare(request, context);
          throw thrown(request);
        }, serializers),
      }),
    { logger: { error: (line) => lines.push(line) }, ...options },
  );
}

/** Calls `/test.Errors/<method>`; resolves to the RpcError it ends with and the messages before it. */
async function callFailing(t: TestServer, method: "Throw" | "Stream", request: Request): Promise<{ error: RpcError; messages: number }> {
  let messages = 0;
  try {
    if (method === "Throw") await t.channel.unaryUnary(jsonMethod<Request, object>("/test.Errors/Throw"))(request);
    else
      for await (const _ of t.channel.unaryStream(jsonMethod<Request, object>("/test.Errors/Stream", { responseStream: true }))(request))
        messages++;
  } catch (error) {
    if (error instanceof RpcError) return { error, messages };
    throw error;
  }
  throw new Error(`/test.Errors/${method} did not fail`);
}

/** How many errors of one kind `lines` account for: logged in full (matching `fullLine`), or counted in summaries. */
function accountedFor(lines: string[], kind: string, fullLine: RegExp): { full: number; counted: number } {
  const counted = summaries(lines.join("\n")).filter((s) => `${s.method} ${s.errorClass}` === kind);
  return { full: lines.filter((line) => fullLine.test(line)).length, counted: counted.reduce((sum, s) => sum + s.count, 0) };
}

describe("the logger and the onHandlerError hook", () => {
  test("a custom logger gets the first error of each method and error class with its stack, then counts; the hook gets every error", async () => {
    const lines: string[] = [];
    const hookSaw: { method: string; error: unknown }[] = [];
    const t = await startThrowingServer(lines, {
      handlerErrorLogWindow: 0.3,
      onHandlerError: (method, error) => hookSaw.push({ method, error }),
    });
    try {
      const cases: [method: "Throw" | "Stream", request: Request, details: (i: number) => string, kind: string, fullLine: RegExp][] = [
        [
          "Throw",
          { throw: "TypeError" },
          (i) => `Exception calling application: bad user ${i} in /var/db/users`,
          "/test.Errors/Throw TypeError",
          /^tsgrpc: the handler of \/test\.Errors\/Throw failed: TypeError: bad user \d+ in \/var\/db\/users\n\s+at /,
        ],
        [
          "Throw",
          { throw: "RangeError" },
          (i) => `Exception calling application: page ${i} out of range`,
          "/test.Errors/Throw RangeError",
          /^tsgrpc: the handler of \/test\.Errors\/Throw failed: RangeError: page \d+ out of range\n\s+at /,
        ],
        [
          "Throw",
          { throw: "string" },
          (i) => `Exception calling application: a string ${i}`,
          "/test.Errors/Throw string",
          /^tsgrpc: the handler of \/test\.Errors\/Throw failed: a string \d+$/,
        ],
        [
          "Stream",
          { throw: "TypeError" },
          (i) => `Exception iterating responses: bad user ${i} in /var/db/users`,
          "/test.Errors/Stream TypeError",
          /^tsgrpc: the handler of \/test\.Errors\/Stream failed: TypeError: bad user \d+ in \/var\/db\/users\n\s+at /,
        ],
      ];
      for (const [method, request, details] of cases) {
        for (let i = 0; i < 50; i++) {
          const { error, messages } = await callFailing(t, method, { ...request, i });
          expect([error.code(), error.details(), messages]).toEqual([StatusCode.UNKNOWN, details(i), method === "Stream" ? 1 : 0]);
        }
      }
      expect(hookSaw).toHaveLength(200);
      expect(hookSaw[0]).toEqual({ method: "/test.Errors/Throw", error: new TypeError("bad user 0 in /var/db/users") });
      expect(hookSaw[199]?.method).toBe("/test.Errors/Stream");

      // Each kind: its first error in full, the 49 others counted by the window's timer (in full
      // again only after a quiet window, which a heavily loaded machine might produce).
      const settled = () =>
        cases.every(([, , , kind, fullLine]) => {
          const { full, counted } = accountedFor(lines, kind, fullLine);
          return full + counted === 50;
        });
      const until = Date.now() + 5_000;
      while (!settled() && Date.now() < until) await sleep(20);
      for (const [, , , kind, fullLine] of cases) {
        const { full, counted } = accountedFor(lines, kind, fullLine);
        expect({ kind, total: full + counted }).toEqual({ kind, total: 50 });
        expect(full).toBeGreaterThanOrEqual(1);
        expect(counted).toBeGreaterThan(0);
        expect(lines.find((line) => fullLine.test(line))).toMatch(/failed: (\w+: )?(bad user|page|a string) 0\b/);
      }
      expect(lines.every((line) => cases.some(([, , , , fullLine]) => fullLine.test(line)) || summaries(line).length === 1)).toBe(true);
    } finally {
      await t.close();
    }
  });

  test("handlerErrorLogWindow: 0 logs every error with its stack", async () => {
    const lines: string[] = [];
    const t = await startThrowingServer(lines, { handlerErrorLogWindow: 0 });
    try {
      for (let i = 0; i < 5; i++) await callFailing(t, "Throw", { throw: "TypeError", i });
      expect(lines).toHaveLength(5);
      lines.forEach((line, i) => {
        expect(line).toMatch(
          new RegExp(`^tsgrpc: the handler of /test\\.Errors/Throw failed: TypeError: bad user ${i} in /var/db/users\n\\s+at `),
        );
      });
    } finally {
      await t.close();
    }
  });

  test("logger: null logs nothing; the hook still gets every error", async () => {
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => {});
    let hookSaw = 0;
    const t = await startTestServer(
      (s) =>
        s.addRegisteredMethodHandlers("test.Errors", {
          Throw: unaryUnaryRpcMethodHandler(() => {
            throw new TypeError("bad");
          }, serializers),
        }),
      { logger: null, onHandlerError: () => hookSaw++ },
    );
    try {
      for (let i = 0; i < 5; i++) await callFailing(t, "Throw", {});
      expect(hookSaw).toBe(5);
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      await t.close();
      warnings.mockRestore();
    }
  });

  test("stop() logs the counts still pending", async () => {
    const lines: string[] = [];
    const t = await startThrowingServer(lines, { handlerErrorLogWindow: 3600 });
    for (let i = 0; i < 5; i++) await callFailing(t, "Throw", { throw: "RangeError", i });
    expect(lines).toHaveLength(1);
    await t.close();
    expect(lines[1]).toBe("tsgrpc: the handler of /test.Errors/Throw failed 4 more times with RangeError in the last 3600 s");
    expect(lines).toHaveLength(2);
  });

  test("a hook that throws is logged, rate-limited like handler errors, and the server carries on", async () => {
    const lines: string[] = [];
    const t = await startThrowingServer(lines, {
      handlerErrorLogWindow: 3600,
      onHandlerError: () => {
        throw new SyntaxError("the hook is broken");
      },
    });
    try {
      for (let i = 0; i < 5; i++) {
        const { error } = await callFailing(t, "Throw", { throw: "TypeError", i });
        expect(error.details()).toBe(`Exception calling application: bad user ${i} in /var/db/users`);
      }
    } finally {
      await t.close();
    }
    expect(lines).toEqual([
      expect.stringMatching(/^tsgrpc: the handler of \/test\.Errors\/Throw failed: TypeError: bad user 0/),
      expect.stringMatching(/^tsgrpc: the onHandlerError hook for \/test\.Errors\/Throw failed: SyntaxError: the hook is broken\n\s+at /),
      "tsgrpc: the handler of /test.Errors/Throw failed 4 more times with TypeError in the last 3600 s",
      "tsgrpc: the onHandlerError hook for /test.Errors/Throw failed 4 more times with SyntaxError in the last 3600 s",
    ]);
  });
});

describe("handlerErrorDetails", () => {
  const lines: string[] = [];
  const hookSaw: unknown[] = [];
  let t: TestServer;
  beforeAll(async () => {
    t = await startThrowingServer(lines, {
      handlerErrorDetails: "Internal error",
      handlerErrorLogWindow: 0,
      onHandlerError: (_method, error) => hookSaw.push(error),
    });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    lines.length = 0;
    hookSaw.length = 0;
  });

  test.each([
    ["Throw", 0],
    ["Stream", 1],
  ] as const)(
    "/test.Errors/%s: the client gets UNKNOWN with the fixed text, the logger and the hook the real error",
    async (method, messages) => {
      const outcome = await callFailing(t, method, { throw: "TypeError", i: 7 });
      expect([outcome.error.code(), outcome.error.details(), outcome.messages]).toEqual([StatusCode.UNKNOWN, "Internal error", messages]);
      for (const [, value] of outcome.error.trailingMetadata()) expect(String(value)).not.toContain("/var/db");
      expect(hookSaw).toEqual([new TypeError("bad user 7 in /var/db/users")]);
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(`^tsgrpc: the handler of /test\\.Errors/${method} failed: TypeError: bad user 7 in /var/db/users\n`),
        ),
      ]);
    },
  );

  test("a code set before the throw stays; details the handler set, and an RpcError's, are sent as they are", async () => {
    let outcome = await callFailing(t, "Throw", { throw: "TypeError", setCode: true });
    expect([outcome.error.code(), outcome.error.details()]).toEqual([StatusCode.PERMISSION_DENIED, "Internal error"]);
    outcome = await callFailing(t, "Throw", { throw: "TypeError", setCode: true, setDetails: true });
    expect([outcome.error.code(), outcome.error.details()]).toEqual([StatusCode.PERMISSION_DENIED, "you may not"]);
    outcome = await callFailing(t, "Stream", { throw: "RpcError", i: 3 });
    expect([outcome.error.code(), outcome.error.details()]).toEqual([StatusCode.NOT_FOUND, "no user 3"]);
  });
});

describe("the options are checked", () => {
  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY, "10"])("handlerErrorLogWindow %p is a RangeError", (window) => {
    expect(() => serverUnderTest({ handlerErrorLogWindow: window as number })).toThrow(
      `handlerErrorLogWindow must be a number of seconds (0 or more), got ${String(window)}`,
    );
  });

  test("handlerErrorDetails must be a string, logger an object with error() or null", () => {
    expect(() => serverUnderTest({ handlerErrorDetails: 42 as unknown as string })).toThrow(
      "handlerErrorDetails must be a string, got number",
    );
    expect(() => serverUnderTest({ logger: {} as never })).toThrow(TypeError);
    expect(() => serverUnderTest({ logger: console })).not.toThrow();
  });
});
