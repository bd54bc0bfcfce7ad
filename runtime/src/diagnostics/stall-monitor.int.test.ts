// The stall monitor on a real server: a handler that blocks the event loop is named on
// `tsgrpc:stall` once the loop runs again, and (server in a child process) the watchdog thread
// writes its line to stderr WHILE the loop is still blocked. The handler time budget ends a
// handler that never finishes. Stopping the server ends the monitor's timer and thread.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import * as path from "node:path";
import {
  checkLeaksAfterAll,
  deferred,
  forkTs,
  insecureChannelUnderTest,
  jsonMethod,
  jsonSerializers,
  startTestServer,
  type TsChild,
  untilAborted,
} from "@tsgrpc/test-utils";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import { unaryUnaryRpcMethodHandler } from "../server/method-handlers.js";
import { type StallReport, stallChannelName, stallWarning } from "./stall-monitor.js";

checkLeaksAfterAll();

function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Blocks the event loop on purpose.
  }
}

describe("stall monitor", () => {
  test("a handler that blocks the loop is named on tsgrpc:stall once the loop runs again", async () => {
    const reports: StallReport[] = [];
    const onReport = (message: unknown) => reports.push(message as StallReport);
    subscribe(stallChannelName, onReport);
    const t = await startTestServer(
      (s) =>
        s.addRegisteredMethodHandlers("test.Stall", {
          Block: unaryUnaryRpcMethodHandler((request: { ms: number }) => {
            busy(request.ms);
            return {};
          }, jsonSerializers<{ ms: number }, object>()),
        }),
      { stallMonitor: { thresholdMs: 100, warn: false } },
    );
    try {
      await t.channel.unaryUnary(jsonMethod<{ ms: number }, object>("/test.Stall/Block"))({ ms: 500 });
      const until = Date.now() + 2000;
      while (!reports.some((r) => r.rpcs.some((rpc) => rpc.method === "/test.Stall/Block")) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const report = reports.find((r) => r.rpcs.some((rpc) => rpc.method === "/test.Stall/Block"));
      expect(report).toBeDefined();
      // Measured by timer lateness: at least the block minus one heartbeat interval (25 ms).
      expect(report!.durationMs).toBeGreaterThanOrEqual(400);
      const rpc = report!.rpcs.find((r) => r.method === "/test.Stall/Block")!;
      expect(rpc.peer).toMatch(/^ipv4:127\.0\.0\.1:\d+$/);
      expect(rpc.ageMs).toBeGreaterThanOrEqual(400);
      expect(stallWarning(report!)).toContain("in flight: /test.Stall/Block");
    } finally {
      unsubscribe(stallChannelName, onReport);
      await t.close();
    }
  });

  describe("in a child process", () => {
    let child: TsChild;
    afterEach(async () => {
      await child.close();
    });

    test("the watchdog writes its line while the loop is still blocked, the warning follows", async () => {
      child = forkTs(path.join(__dirname, "testdata", "stall-child.ts"), ["1500"], { pipeStderr: true });
      let stderr = "";
      child.process.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const { port } = await child.message<{ port: number }>();
      const channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
      try {
        await channel.unaryUnary(jsonMethod<object, object>("/test.Stall/Block"))({}, { timeout: 10 });
        const until = Date.now() + 3000;
        while (!stderr.includes("TsgrpcStallWarning") && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        channel.close();
      }
      const live = stderr.indexOf("tsgrpc: the event loop has been blocked for");
      const unblocked = stderr.indexOf("child: handler unblocked");
      const warning = stderr.indexOf("TsgrpcStallWarning: tsgrpc: the event loop was blocked for");
      expect(live).toBeGreaterThanOrEqual(0);
      expect(stderr.slice(live)).toMatch(
        /^tsgrpc: the event loop has been blocked for \d+ ms so far \(in flight: \/test\.Stall\/Block\)\n/,
      );
      expect(live).toBeLessThan(unblocked);
      expect(warning).toBeGreaterThan(unblocked);
      expect(stderr.slice(warning)).toContain("in flight: /test.Stall/Block");
      child.process.send("stop");
      await new Promise((resolve) => child.process.once("exit", resolve));
      expect(child.process.exitCode).toBe(0);
    });
  });
});

describe("handlerTimeBudget", () => {
  test("ends a handler that never finishes with DEADLINE_EXCEEDED and aborts its signal", async () => {
    const seen = deferred<{ aborted: boolean; code: StatusCode | null; remaining: number | null }>();
    const t = await startTestServer(
      (s) =>
        s.addRegisteredMethodHandlers("test.Budget", {
          Hang: unaryUnaryRpcMethodHandler(async (_request: object, context) => {
            const remaining = context.timeRemaining();
            try {
              await untilAborted(context.signal);
              return {};
            } finally {
              seen.resolve({ aborted: context.signal.aborted, code: context.code(), remaining });
            }
          }, jsonSerializers<object, object>()),
        }),
      { handlerTimeBudget: 0.3 },
    );
    try {
      const started = Date.now();
      const error = (await t.channel
        .unaryUnary(jsonMethod<object, object>("/test.Budget/Hang"))({})
        .catch((e: unknown) => e)) as RpcError;
      expect(error).toBeInstanceOf(RpcError);
      expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(error.details()).toBe("Deadline Exceeded");
      expect(Date.now() - started).toBeLessThan(300 + 500);
      const server = await seen.promise;
      expect(server.aborted).toBe(true);
      expect(server.code).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(server.remaining).toBeGreaterThan(0);
      expect(server.remaining).toBeLessThanOrEqual(0.3);
    } finally {
      await t.close();
    }
  });

  test("an earlier client deadline still wins", async () => {
    const t = await startTestServer(
      (s) =>
        s.addRegisteredMethodHandlers("test.Budget", {
          Hang: unaryUnaryRpcMethodHandler(async (_request: object, context) => {
            await untilAborted(context.signal);
            return {};
          }, jsonSerializers<object, object>()),
        }),
      { handlerTimeBudget: 30 },
    );
    try {
      const started = Date.now();
      const error = (await t.channel
        .unaryUnary(jsonMethod<object, object>("/test.Budget/Hang"))({}, { timeout: 0.2 })
        .catch((e: unknown) => e)) as RpcError;
      expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(Date.now() - started).toBeLessThan(200 + 500);
    } finally {
      await t.close();
    }
  });

  test("rejects a budget that is not a positive number", async () => {
    await expect(startTestServer(() => {}, { handlerTimeBudget: 0 })).rejects.toThrow(
      "handlerTimeBudget must be a positive number of seconds, got 0",
    );
  });
});
