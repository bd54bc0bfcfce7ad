import { spawn } from "node:child_process";
import { once } from "node:events";
import { connect, createServer as createNetServer, type Socket } from "node:net";
import { join } from "node:path";
import {
  checkLeaksAfterAll,
  deferred,
  insecureChannelUnderTest,
  jsonMethod,
  needsClientStep2,
  serverUnderTest,
  sleep,
  startRecordingServer,
  startTestServer,
  type TestServer,
  testClientTransport,
  untilAborted,
} from "@tsgrpc/test-utils";
import { ChannelConnectivity } from "../core/connectivity.js";
import { FutureTimeoutError } from "../core/future.js";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { runtimeVersion } from "../core/version.js";
import type { Server } from "../server/server.js";
import { servicerMethodHandlers } from "../server/servicer.js";
import type { Channel } from "./channel.js";
import { channelReadyFuture } from "./channel-ready-future.js";

// Channels: waitForReady, close, dispose, connectivity, and what their typed options do on a connection.

interface Msg {
  text: string;
  size?: number;
}

const methods = {
  Echo: jsonMethod<Msg, Msg>("/test.Ch/Echo"),
  Watch: jsonMethod<Msg, Msg>("/test.Ch/Watch", { responseStream: true }),
};

/** A free port: bound, then released, so nothing listens on it until a test starts a server there. */
async function reservePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A server on `address` whose Echo answers with `name`, failing the first `failures` calls. */
async function namedServer(address: string, name: string, failures = 0): Promise<{ server: Server; port: number; calls: () => number }> {
  let calls = 0;
  const srv = serverUnderTest();
  const servicer = {
    Echo: (r: Msg, c: ServicerContext) => {
      calls++;
      if (calls <= failures) c.abort(StatusCode.UNAVAILABLE, "not yet");
      return { text: r.size ? "x".repeat(r.size) : name };
    },
  };
  srv.addRegisteredMethodHandlers("test.Ch", servicerMethodHandlers(servicer, methods));
  const port = await srv.addInsecurePort(address);
  await srv.start();
  return { server: srv, port, calls: () => calls };
}

/** What grpc-js adds after tsgrpc's name in `user-agent`; the node-http2 client sends tsgrpc's alone. */
const grpcJsAgent = testClientTransport === "grpc-js" ? " grpc-node-js/" : "$";

/** A program that calls and never closes its channel (testdata/forgetful-client.ts), run as TypeScript. */
const forgetfulClient = join(__dirname, "testdata", "forgetful-client.ts");
const register = join(__dirname, "..", "..", "..", "packages", "test-utils", "loader", "register.mjs");

checkLeaksAfterAll();

describe("waitForReady", () => {
  it("fails fast with UNAVAILABLE without it, and waits for a server that starts late with it", async () => {
    const port = await reservePort();
    const channel = insecureChannelUnderTest(`127.0.0.1:${port}`, { initialReconnectBackoff: 0.1 });
    try {
      const echo = channel.unaryUnary(methods.Echo);
      const started = Date.now();
      await expect(echo({ text: "" }, { timeout: 10 })).rejects.toMatchObject({ message: expect.stringMatching(/UNAVAILABLE/) });
      expect(Date.now() - started).toBeLessThan(5000);
      const waiting = echo({ text: "" }, { timeout: 10, waitForReady: true });
      await sleep(300);
      const late = await namedServer(`127.0.0.1:${port}`, "late");
      try {
        await expect(waiting).resolves.toEqual({ text: "late" });
      } finally {
        await late.server.stop(null);
      }
    } finally {
      channel.close();
    }
  });

  it("ends with DEADLINE_EXCEEDED, not UNAVAILABLE, when no server comes", async () => {
    const port = await reservePort();
    const channel = insecureChannelUnderTest(`127.0.0.1:${port}`, { initialReconnectBackoff: 0.1 });
    try {
      const started = Date.now();
      const error = (await channel
        .unaryUnary(methods.Echo)({ text: "" }, { timeout: 0.5, waitForReady: true })
        .catch((e: unknown) => e)) as RpcError;
      expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(Date.now() - started).toBeLessThan(500 + 500);
    } finally {
      channel.close();
    }
  });
});

describe("channel lifecycle", () => {
  let t: TestServer;
  let ended = deferred<string[]>();
  const endings: string[] = [];

  beforeAll(async () => {
    const servicer = {
      Echo: async (r: Msg, c: ServicerContext) => {
        try {
          if (r.text === "hold") await untilAborted(c.signal);
          return { text: r.text };
        } finally {
          if (r.text === "hold") record(`Echo ${c.code()}`);
        }
      },
      async *Watch(_r: Msg, c: ServicerContext) {
        try {
          yield { text: "first" };
          await untilAborted(c.signal);
        } finally {
          record(`Watch ${c.code()}`);
        }
      },
    };
    const record = (ending: string) => {
      endings.push(ending);
      if (endings.length === 2) ended.resolve([...endings].sort());
    };
    t = await startTestServer((s) => s.addRegisteredMethodHandlers("test.Ch", servicerMethodHandlers(servicer, methods)));
  });
  afterAll(() => t.close());

  it("close() cancels active calls (the handlers see CANCELLED), then refuses new ones; it is idempotent", async () => {
    ended = deferred<string[]>();
    endings.length = 0;
    const channel = insecureChannelUnderTest(t.target);
    const unary = channel.unaryUnary(methods.Echo)({ text: "hold" });
    const stream = channel.unaryStream(methods.Watch)({ text: "" });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    channel.close();
    channel.close();
    await expect(unary).rejects.toMatchObject({ message: expect.stringMatching(/CANCELLED/) });
    await expect(iterator.next()).rejects.toBeInstanceOf(RpcError);
    expect(await stream.code()).toBe(StatusCode.CANCELLED);
    await expect(ended.promise).resolves.toEqual([`Echo ${StatusCode.CANCELLED}`, `Watch ${StatusCode.CANCELLED}`]);
    expect(() => channel.unaryUnary(methods.Echo)({ text: "" })).toThrow("Cannot invoke RPC /test.Ch/Echo on closed channel!");
    expect(channel.connectivity()).toBe(ChannelConnectivity.SHUTDOWN);
  });

  it("closes at the end of a `using` block", async () => {
    let escaped: ReturnType<typeof insecureChannelUnderTest> | undefined;
    {
      using channel = insecureChannelUnderTest(t.target);
      escaped = channel;
      await expect(channel.unaryUnary(methods.Echo)({ text: "in scope" })).resolves.toEqual({ text: "in scope" });
    }
    expect(escaped.connectivity()).toBe(ChannelConnectivity.SHUTDOWN);
  });

  it("reports real connectivity changes to subscribers until they unsubscribe", async () => {
    const own = await namedServer("127.0.0.1:0", "own");
    const channel = insecureChannelUnderTest(`127.0.0.1:${own.port}`, { initialReconnectBackoff: 5 });
    try {
      const states: ChannelConnectivity[] = [];
      const ready = deferred();
      const lost = deferred();
      const callback = (state: ChannelConnectivity) => {
        states.push(state);
        if (state === ChannelConnectivity.READY) ready.resolve();
        else if (states.includes(ChannelConnectivity.READY)) lost.resolve();
      };
      channel.subscribe(callback, { tryToConnect: true });
      await ready.promise;
      expect(states.slice(0, 3)).toEqual([ChannelConnectivity.IDLE, ChannelConnectivity.CONNECTING, ChannelConnectivity.READY]);
      await own.server.stop(null);
      await lost.promise;
      expect([ChannelConnectivity.IDLE, ChannelConnectivity.TRANSIENT_FAILURE]).toContain(states[states.length - 1]);
      channel.unsubscribe(callback);
      const seen = states.length;
      channel.connectivity(true);
      await sleep(100);
      expect(states.length).toBe(seen);
    } finally {
      channel.close();
    }
  });

  it("closes its connection after idleTimeout without calls, going IDLE, and reconnects on the next call", async () => {
    const own = await namedServer("127.0.0.1:0", "idle");
    const channel = insecureChannelUnderTest(`127.0.0.1:${own.port}`, { idleTimeout: 1 });
    try {
      const echo = channel.unaryUnary(methods.Echo);
      await expect(echo({ text: "" }, { timeout: 5 })).resolves.toEqual({ text: "idle" });
      expect(channel.connectivity()).toBe(ChannelConnectivity.READY);
      const idle = deferred();
      const started = Date.now();
      channel.subscribe((state) => state === ChannelConnectivity.IDLE && idle.resolve());
      await idle.promise;
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(echo({ text: "" }, { timeout: 5 })).resolves.toEqual({ text: "idle" });
    } finally {
      channel.close();
      await own.server.stop(null);
    }
  });

  it("holds a program open only while it has calls: one that never closes its channel still exits", async () => {
    const own = await namedServer("127.0.0.1:0", "answered");
    const child = spawn(process.execPath, ["--import", register, forgetfulClient, String(own.port), testClientTransport], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      const [code] = (await once(child, "exit")) as [number | null];
      expect([code, stdout.trim()]).toEqual([0, "answered"]);
    } finally {
      child.kill();
      await own.server.stop(null);
    }
  }, 20_000);

  it("channelReadyFuture resolves once connected, and times out with FutureTimeoutError when nothing listens", async () => {
    const channel = insecureChannelUnderTest(t.target);
    const nowhere = insecureChannelUnderTest(`127.0.0.1:${await reservePort()}`);
    try {
      await channelReadyFuture(channel).result({ timeout: 5 });
      const future = channelReadyFuture(nowhere);
      await expect(future.result({ timeout: 0.2 })).rejects.toBeInstanceOf(FutureTimeoutError);
      expect(future.cancel()).toBe(true);
    } finally {
      channel.close();
      nowhere.close();
    }
  });
});

describe("typed channel options reach the connection", () => {
  it("enforces message size limits with RESOURCE_EXHAUSTED", async () => {
    const srv = await namedServer("127.0.0.1:0", "limits");
    const channel = insecureChannelUnderTest(`127.0.0.1:${srv.port}`, { maxReceiveMessageLength: 1024, maxSendMessageLength: 1024 });
    try {
      const echo = channel.unaryUnary(methods.Echo);
      await expect(echo({ text: "", size: 10 })).resolves.toEqual({ text: "x".repeat(10) });
      const tooBigIn = (await echo({ text: "", size: 4096 }).catch((e: unknown) => e)) as RpcError;
      expect(tooBigIn.code()).toBe(StatusCode.RESOURCE_EXHAUSTED);
      const served = srv.calls();
      const tooBigOut = (await echo({ text: "y".repeat(4096) }).catch((e: unknown) => e)) as RpcError;
      expect(tooBigOut.code()).toBe(StatusCode.RESOURCE_EXHAUSTED);
      expect(srv.calls()).toBe(served);
    } finally {
      channel.close();
      await srv.server.stop(null);
    }
  });

  it("sends primaryUserAgent before tsgrpc's name, and defaultAuthority as :authority", async () => {
    const recorder = await startRecordingServer();
    const channel = insecureChannelUnderTest(`127.0.0.1:${recorder.port}`, {
      primaryUserAgent: "billing/2.1",
      defaultAuthority: "api.example.test",
    });
    const plain = insecureChannelUnderTest(`127.0.0.1:${recorder.port}`);
    try {
      await channel.unaryUnary(methods.Echo)({ text: "" });
      await plain.unaryUnary(methods.Echo)({ text: "" });
      const [typed, untyped] = recorder.requests.map((r) => r.headers);
      expect(typed?.["user-agent"]).toMatch(
        new RegExp(`^billing/2\\.1 tsgrpc-node/${runtimeVersion.replaceAll(".", "\\.")}${grpcJsAgent}`),
      );
      expect(typed?.[":authority"]).toBe("api.example.test");
      expect(untyped?.["user-agent"]).toMatch(new RegExp(`^tsgrpc-node/\\S+${grpcJsAgent}`));
      expect(untyped?.[":authority"]).toBe(`127.0.0.1:${recorder.port}`);
    } finally {
      channel.close();
      plain.close();
      await recorder.close();
    }
  });

  it("keepaliveTime and keepaliveTimeout fail a call with UNAVAILABLE once its connection stops answering", async () => {
    let watching = deferred();
    // PINGs every 0.2 s are the point here: the server must not answer them with GOAWAY "too_many_pings".
    const srv = serverUnderTest({ minClientPingInterval: 0.1 });
    srv.addRegisteredMethodHandlers(
      "test.Ch",
      servicerMethodHandlers(
        {
          Echo: (r: Msg) => r,
          async *Watch(_r: Msg, c: ServicerContext) {
            yield { text: "first" };
            watching.resolve();
            await untilAborted(c.signal);
          },
        },
        methods,
      ),
    );
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    const proxy = await blackholingProxy(port);
    const channel = insecureChannelUnderTest(`127.0.0.1:${proxy.port}`, { keepaliveTime: 0.2, keepaliveTimeout: 0.2 });
    try {
      watching = deferred();
      const stream = channel.unaryStream(methods.Watch)({ text: "" }, { timeout: 20 });
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      await watching.promise;
      proxy.blackhole();
      const started = Date.now();
      const error = (await iterator.next().catch((e: unknown) => e)) as RpcError;
      expect(error.code()).toBe(StatusCode.UNAVAILABLE);
      // Well before the deadline: the PING went unanswered.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      channel.close();
      proxy.close();
      await srv.stop(null);
    }
  });

  needsClientStep2("spreads calls over the target's addresses with round_robin, and stays on one with pick_first", async () => {
    const a = await namedServer("127.0.0.1:0", "a");
    const b = await namedServer("127.0.0.1:0", "b");
    const target = `ipv4:127.0.0.1:${a.port},127.0.0.1:${b.port}`;
    const spread = insecureChannelUnderTest(target, { loadBalancingPolicy: "round_robin" });
    const first = insecureChannelUnderTest(target, { loadBalancingPolicy: "pick_first" });
    try {
      const answers = async (channel: Channel) => {
        const seen = new Set<string>();
        for (let i = 0; i < 8; i++) seen.add((await channel.unaryUnary(methods.Echo)({ text: "" }, { timeout: 5 })).text);
        return [...seen].sort();
      };
      expect(await answers(spread)).toEqual(["a", "b"]);
      expect(await answers(first)).toHaveLength(1);
    } finally {
      spread.close();
      first.close();
      await Promise.all([a.server.stop(null), b.server.stop(null)]);
    }
  });

  needsClientStep2("retries as a service config (given raw, through options) says, unless enableRetries is false", async () => {
    const serviceConfig = JSON.stringify({
      methodConfig: [
        {
          name: [{ service: "test.Ch" }],
          retryPolicy: {
            maxAttempts: 5,
            initialBackoff: "0.01s",
            maxBackoff: "0.05s",
            backoffMultiplier: 2,
            retryableStatusCodes: ["UNAVAILABLE"],
          },
        },
      ],
    });
    const retried = await namedServer("127.0.0.1:0", "retried", 2);
    const once = await namedServer("127.0.0.1:0", "once", 2);
    const channels: Channel[] = [];
    try {
      const retrying = insecureChannelUnderTest(`127.0.0.1:${retried.port}`, { options: { "grpc.service_config": serviceConfig } });
      channels.push(retrying);
      const notRetrying = insecureChannelUnderTest(`127.0.0.1:${once.port}`, {
        enableRetries: false,
        options: { "grpc.service_config": serviceConfig },
      });
      channels.push(notRetrying);
      await expect(retrying.unaryUnary(methods.Echo)({ text: "" }, { timeout: 5 })).resolves.toEqual({ text: "retried" });
      expect(retried.calls()).toBe(3);
      const error = (await notRetrying
        .unaryUnary(methods.Echo)({ text: "" }, { timeout: 5 })
        .catch((e: unknown) => e)) as RpcError;
      expect(error.code()).toBe(StatusCode.UNAVAILABLE);
      expect(once.calls()).toBe(1);
    } finally {
      for (const channel of channels) channel.close();
      await Promise.all([retried.server.stop(null), once.server.stop(null)]);
    }
  });
});

/** A TCP proxy to `port` on 127.0.0.1 that can stop forwarding in both directions, as a dead network does. */
async function blackholingProxy(port: number): Promise<{ port: number; blackhole(): void; close(): void }> {
  let dead = false;
  const sockets = new Set<Socket>();
  const proxy = createNetServer((downstream) => {
    const upstream = connect(port, "127.0.0.1");
    for (const [from, to] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      sockets.add(from);
      from.on("data", (chunk) => dead || to.write(chunk));
      from.on("error", () => to.destroy());
      from.on("close", () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    port: (proxy.address() as { port: number }).port,
    blackhole: () => {
      dead = true;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      proxy.close();
    },
  };
}
