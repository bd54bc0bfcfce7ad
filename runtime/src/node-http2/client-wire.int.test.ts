import { spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import {
  constants,
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { checkLeaksAfterAll, deferred, frame, jsonMethod, makeTestCertificates } from "@tsgrpc/test-utils";
import type { Channel } from "../client/channel.js";
import { Compression } from "../core/compression.js";
import type { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import { runtimeVersion } from "../core/version.js";
import { sslChannelCredentials } from "../transport/client-credentials.js";
import { insecureChannel, secureChannel } from "../transports/channel.js";

// The node-http2 client against servers no gRPC library wrote: each answers one way, right or
// wrong, and the client must end the call with the status grpc's documents give, in plain words.

interface Msg {
  text: string;
}
const method = jsonMethod<Msg, Msg>("/test.Raw/Call");
const streamMethod = jsonMethod<Msg, Msg>("/test.Raw/Stream", { responseStream: true });
const chatMethod = jsonMethod<Msg, Msg>("/test.Raw/Chat", { requestStream: true, responseStream: true });

/** The error a chat call ended with, its request side still open (Node reports a RST_STREAM's code only then). */
async function chatFailure(channel: Channel): Promise<RpcError> {
  const call = channel.streamStream(chatMethod)({ timeout: 5 });
  await call.write({ text: "hi" });
  try {
    for await (const _ of call);
  } catch (error) {
    return error as RpcError;
  }
  throw new Error("the call succeeded");
}

type Handler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void;

/** A raw HTTP/2 server on 127.0.0.1 whose every stream `handler` answers. */
async function rawServer(handler: () => Handler, secure?: { key: Buffer; cert: Buffer }) {
  const server: Http2Server | Http2SecureServer = secure ? createSecureServer({ ...secure, allowHTTP1: false }) : createServer();
  const sessions = new Set<import("node:http2").ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    handler()(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    sessions,
    onSession: (listener: (session: import("node:http2").ServerHttp2Session) => void) => server.on("session", listener),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

const okHeaders = { ":status": 200, "content-type": "application/grpc" };
const message = (text: string) => frame(Buffer.from(JSON.stringify({ text })));

/** The error a call ended with. */
async function failure(channel: Channel, options: { timeout?: number; waitForReady?: boolean } = { timeout: 5 }): Promise<RpcError> {
  return (await channel
    .unaryUnary(method)({ text: "hi" }, options)
    .then(() => {
      throw new Error("the call succeeded");
    })
    .catch((e: unknown) => e)) as RpcError;
}

checkLeaksAfterAll();

describe("node-http2 client: what it sends", () => {
  it("sends grpc's request headers: te, content-type, user-agent, grpc-timeout, grpc-accept-encoding, metadata", async () => {
    const seen = deferred<IncomingHttpHeaders>();
    const closedWith = deferred<number | undefined>();
    const server = await rawServer(() => (stream, headers) => {
      seen.resolve(headers);
      stream.on("close", () => closedWith.resolve(stream.rstCode));
      stream.respond({ ...okHeaders }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(message("ok"));
    });
    const channel = insecureChannel(`127.0.0.1:${server.port}`, { transport: "node-http2", primaryUserAgent: "billing/2.1" });
    try {
      await channel.unaryUnary(method)(
        { text: "hi" },
        {
          timeout: 30,
          metadata: [
            ["k", "v"],
            ["b-bin", new Uint8Array([1, 2])],
          ],
        },
      );
      const headers = await seen.promise;
      expect(headers).toMatchObject({
        ":method": "POST",
        ":scheme": "http",
        ":path": "/test.Raw/Call",
        ":authority": `127.0.0.1:${server.port}`,
        te: "trailers",
        "content-type": "application/grpc",
        "user-agent": `billing/2.1 tsgrpc-node/${runtimeVersion}`,
        "grpc-accept-encoding": "identity,deflate,gzip",
        k: "v",
        "b-bin": "AQI",
      });
      // 30 s in the finest unit that holds it in at most 8 digits.
      expect(headers["grpc-timeout"]).toMatch(/^\d{1,8}u$/);
      expect(Number((headers["grpc-timeout"] as string).slice(0, -1))).toBeLessThanOrEqual(30_000_000);
      // A call that ended with the server's status is not reset: nghttp2 counts a peer's resets, and answers many with GOAWAY.
      expect(await closedWith.promise).toBe(constants.NGHTTP2_NO_ERROR);
    } finally {
      channel.close();
      await server.close();
    }
  });

  it("compresses requests with the call's algorithm, and a deadline already past sends nothing", async () => {
    const bodies: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const server = await rawServer(() => (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        bodies.push({ headers, body: Buffer.concat(chunks) });
        stream.respond({ ...okHeaders, "grpc-status": "0" }, { endStream: true });
      });
    });
    const channel = insecureChannel(`127.0.0.1:${server.port}`, { transport: "node-http2" });
    try {
      const text = "x".repeat(1000);
      const error = await channel
        .unaryUnary(method)({ text }, { compression: Compression.Gzip, timeout: 5 })
        .catch((e: unknown) => e as RpcError);
      // OK without a message: INTERNAL, as grpcio says.
      expect((error as RpcError).code()).toBe(StatusCode.INTERNAL);
      expect(bodies[0]?.headers["grpc-encoding"]).toBe("gzip");
      expect(bodies[0]?.body[0]).toBe(1);
      const past = await failure(channel, { timeout: -1 });
      expect(past.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(bodies).toHaveLength(1);
    } finally {
      channel.close();
      await server.close();
    }
  });

  it("resets the stream with CANCEL when the call is cancelled or its deadline passes", async () => {
    const resets: number[] = [];
    const closed = [deferred(), deferred()];
    let n = 0;
    const server = await rawServer(() => (stream) => {
      const done = closed[n++];
      stream.respond({ ...okHeaders });
      stream.on("close", () => {
        resets.push(stream.rstCode ?? -1);
        done?.resolve();
      });
    });
    const channel = insecureChannel(`127.0.0.1:${server.port}`, { transport: "node-http2" });
    try {
      const controller = new AbortController();
      const cancelled = channel
        .unaryUnary(method)({ text: "" }, { signal: controller.signal })
        .catch((e: unknown) => e as RpcError);
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort();
      expect(((await cancelled) as RpcError).code()).toBe(StatusCode.CANCELLED);
      await closed[0]?.promise;
      const expired = await failure(channel, { timeout: 0.2 });
      expect(expired.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(expired.details()).toBe("Deadline Exceeded");
      await closed[1]?.promise;
      expect(resets).toEqual([constants.NGHTTP2_CANCEL, constants.NGHTTP2_CANCEL]);
    } finally {
      channel.close();
      await server.close();
    }
  });
});

describe("node-http2 client: a server that misbehaves", () => {
  let answer: Handler = () => {};
  let server: Awaited<ReturnType<typeof rawServer>>;
  let channel: Channel;
  beforeAll(async () => {
    server = await rawServer(() => answer);
    channel = insecureChannel(`127.0.0.1:${server.port}`, { transport: "node-http2", maxReceiveMessageLength: 1024 * 1024 });
  });
  afterAll(async () => {
    channel.close();
    await server.close();
  });

  it.each([
    [200, StatusCode.UNKNOWN],
    [401, StatusCode.UNAUTHENTICATED],
    [404, StatusCode.UNIMPLEMENTED],
    [503, StatusCode.UNAVAILABLE],
    [400, StatusCode.INTERNAL],
    [500, StatusCode.UNKNOWN],
  ])("no grpc-status with HTTP %i → %i", async (http, code) => {
    answer = (stream) => {
      stream.respond({ ":status": http, "content-type": http === 200 ? "application/grpc" : "text/plain" });
      stream.end();
    };
    const error = await failure(channel);
    expect(error.code()).toBe(code);
    expect(error.details()).not.toBe("");
  });

  it("an HTML page is never OK", async () => {
    answer = (stream) => {
      stream.respond({ ":status": 200, "content-type": "text/html" });
      stream.end("<html>hello</html>");
    };
    const error = await failure(channel);
    expect(error.code()).toBe(StatusCode.UNKNOWN);
    expect(error.details()).toBe('Received content-type "text/html", not application/grpc');
  });

  it("a 4 GiB length prefix ends the call with RESOURCE_EXHAUSTED before any of it is kept", async () => {
    answer = (stream) => {
      stream.respond({ ...okHeaders });
      stream.write(Buffer.from([0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    };
    const error = await failure(channel);
    expect(error.code()).toBe(StatusCode.RESOURCE_EXHAUSTED);
    expect(error.details()).toBe(`Received message larger than max (4294967295 vs. ${1024 * 1024})`);
  });

  it("a gzip bomb ends the call with RESOURCE_EXHAUSTED, inflating no more than the limit", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    answer = (stream) => {
      stream.respond({ ...okHeaders, "grpc-encoding": "gzip" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(frame(bomb, true));
    };
    const error = await failure(channel);
    expect(error.code()).toBe(StatusCode.RESOURCE_EXHAUSTED);
    expect(error.details()).toMatch(/^Received message larger than max/);
  });

  it("an encoding the client does not know → INTERNAL naming it", async () => {
    answer = (stream) => {
      stream.respond({ ...okHeaders, "grpc-encoding": "br" });
      stream.end(frame(Buffer.from("x"), true));
    };
    const error = await failure(channel);
    expect(error.code()).toBe(StatusCode.INTERNAL);
    expect(error.details()).toMatch(/"br", an encoding this client does not know/);
  });

  it("a stream that ends inside a message is INTERNAL, even with grpc-status 0", async () => {
    answer = (stream) => {
      stream.respond({ ...okHeaders }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(message("whole").subarray(0, 8));
    };
    const error = await failure(channel);
    expect(error.code()).toBe(StatusCode.INTERNAL);
    expect(error.details()).toMatch(/ended inside a message/);
  });

  it.each([
    [constants.NGHTTP2_CANCEL, StatusCode.CANCELLED],
    [constants.NGHTTP2_ENHANCE_YOUR_CALM, StatusCode.RESOURCE_EXHAUSTED],
    [constants.NGHTTP2_INADEQUATE_SECURITY, StatusCode.PERMISSION_DENIED],
    [constants.NGHTTP2_INTERNAL_ERROR, StatusCode.INTERNAL],
    [constants.NGHTTP2_PROTOCOL_ERROR, StatusCode.INTERNAL],
    [constants.NGHTTP2_REFUSED_STREAM, StatusCode.UNAVAILABLE],
  ])("RST_STREAM %i after the headers → %i", async (rstCode, code) => {
    answer = (stream) => {
      stream.respond({ ...okHeaders });
      setImmediate(() => stream.close(rstCode));
    };
    const error = await chatFailure(channel);
    expect(error.code()).toBe(code);
    expect(error.details()).toContain(`RST_STREAM code ${rstCode}`);
  });

  it("after the request side ended, a reset is never OK (Node reports it as a clean close, without the code)", async () => {
    answer = (stream) => {
      stream.respond({ ...okHeaders });
      setImmediate(() => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
    };
    const error = await failure(channel);
    expect(error.code()).toBe(StatusCode.UNKNOWN);
    expect(error.details()).toBe("The response ended without a grpc-status");
  });

  it("a stream refused before any answer is retried once, transparently, its requests replayed", async () => {
    let calls = 0;
    const requests: string[] = [];
    answer = (stream) => {
      if (++calls === 1) {
        stream.on("data", () => {});
        setTimeout(() => stream.close(constants.NGHTTP2_REFUSED_STREAM), 50);
        return;
      }
      stream.on("data", (chunk: Buffer) => requests.push(JSON.parse(chunk.subarray(5).toString()).text));
      stream.respond({ ...okHeaders }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(message("second"));
    };
    const call = channel.streamStream(chatMethod)({ timeout: 5 });
    await call.write({ text: "before" });
    const texts: string[] = [];
    for await (const response of call) texts.push(response.text);
    expect(texts).toEqual(["second"]);
    expect(calls).toBe(2);
    expect(requests).toEqual(["before"]);
  });

  it("a server stream the client does not read is held by flow control", async () => {
    let written = 0;
    const stop = deferred();
    answer = (stream) => {
      stream.respond({ ...okHeaders });
      const chunk = message("y".repeat(16 * 1024));
      const pump = () => {
        while (written < 10_000 && !stream.destroyed) {
          written++;
          if (!stream.write(chunk)) {
            stream.once("drain", pump);
            return;
          }
        }
      };
      pump();
      stream.on("close", () => stop.resolve());
    };
    const responses = channel.unaryStream(streamMethod)({ text: "" });
    const iterator = responses[Symbol.asyncIterator]();
    await iterator.next();
    let last = -1;
    while (last !== written) {
      last = written;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The stream's window, the connection's queue and the client's read-ahead: not 160 MB.
    expect(written * 16 * 1024).toBeLessThan(4 * 1024 * 1024);
    await iterator.return?.();
    await stop.promise;
  });

  it("GOAWAY during a call lets it finish; the next call goes on a new connection", async () => {
    const finish = deferred();
    answer = (stream) => {
      stream.respond({ ...okHeaders }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      if (server.sessions.size === 1) {
        stream.session?.goaway(constants.NGHTTP2_NO_ERROR, stream.id);
        void finish.promise.then(() => stream.end(message("first")));
      } else {
        stream.end(message("second"));
      }
    };
    const first = channel.unaryUnary(method)({ text: "" }, { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A second session is made for the next call; the first call still ends on the first.
    const second = channel.unaryUnary(method)({ text: "" }, { timeout: 5 });
    await expect(second).resolves.toEqual({ text: "second" });
    finish.resolve();
    await expect(first).resolves.toEqual({ text: "first" });
  });
});

describe("node-http2 client: GOAWAY from a server on Python's h2", () => {
  it("a call above a GOAWAY's last stream (never seen by the server) is retried once, transparently, on a new connection", async () => {
    // node:http2's server never sends a last stream id below the streams it has seen: h2 does.
    const script = join(__dirname, "testdata", "goaway-server.py");
    const peer = spawn("/usr/bin/python3", [script], { stdio: ["pipe", "pipe", "inherit"] });
    const lines: string[] = [];
    const answered = deferred();
    const port = new Promise<number>((resolve, reject) => {
      peer.once("error", reject);
      peer.stdout.on("data", (chunk: Buffer) => {
        lines.push(
          ...chunk
            .toString()
            .split("\n")
            .filter((line) => line !== ""),
        );
        if (lines.length > 0) resolve(Number(lines[0]));
        if (lines.includes("answered")) answered.resolve();
      });
    });
    const exited = new Promise<void>((resolve) => peer.once("close", () => resolve()));
    const channel = insecureChannel(`127.0.0.1:${await port}`, { transport: "node-http2" });
    try {
      await expect(channel.unaryUnary(method)({ text: "" }, { timeout: 5 })).resolves.toEqual({ text: "retried" });
      // The peer's report may come after the answer did.
      await answered.promise;
      expect(lines.slice(1)).toEqual(["refused", "answered"]);
    } finally {
      channel.close();
      peer.stdin.end();
      await exited;
    }
  });
});

describe("node-http2 client: keepalive", () => {
  it("a GOAWAY too_many_pings doubles the PING interval for the connections after it, as C-core does", async () => {
    const pings = new Map<number, number[]>();
    let sessions = 0;
    const server = await rawServer(() => (stream) => {
      stream.respond({ ...okHeaders });
      stream.write(message("held"));
    });
    const secondSessionPinged = deferred();
    const onSession = (session: import("node:http2").ServerHttp2Session) => {
      const id = ++sessions;
      pings.set(id, []);
      session.on("ping", () => {
        const times = pings.get(id) as number[];
        times.push(Date.now());
        if (id === 1) session.goaway(constants.NGHTTP2_ENHANCE_YOUR_CALM, 2 ** 31 - 1, Buffer.from("too_many_pings"));
        if (id === 2 && times.length === 3) secondSessionPinged.resolve();
      });
    };
    server.onSession(onSession);
    const channel = insecureChannel(`127.0.0.1:${server.port}`, { transport: "node-http2", keepaliveTime: 0.1 });
    try {
      const first = channel.unaryStream(streamMethod)({ text: "" });
      await first[Symbol.asyncIterator]().next();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pings.get(1)?.length).toBeGreaterThanOrEqual(1);
      const second = channel.unaryStream(streamMethod)({ text: "" });
      await second[Symbol.asyncIterator]().next();
      await secondSessionPinged.promise;
      const times = pings.get(2) as number[];
      // Every 0.2 s now: a timer never fires early.
      for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(180);
      first.cancel();
      second.cancel();
    } finally {
      channel.close();
      await server.close();
    }
  });
});

describe("node-http2 client: connections that fail, in plain words", () => {
  const reservePort = async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  };

  it("connection refused: UNAVAILABLE naming the address", async () => {
    const port = await reservePort();
    const channel = insecureChannel(`127.0.0.1:${port}`, { transport: "node-http2" });
    try {
      const error = await failure(channel);
      expect(error.code()).toBe(StatusCode.UNAVAILABLE);
      expect(error.details()).toBe(`connection refused by 127.0.0.1:${port}`);
    } finally {
      channel.close();
    }
  });

  it("an HTTP/1.1 server on the port: UNAVAILABLE saying it is not HTTP/2", async () => {
    const http1 = createHttpServer((_req, res) => res.end("hello"));
    await new Promise<void>((resolve) => http1.listen(0, "127.0.0.1", resolve));
    const port = (http1.address() as { port: number }).port;
    const channel = insecureChannel(`127.0.0.1:${port}`, { transport: "node-http2" });
    try {
      const error = await failure(channel);
      expect(error.code()).toBe(StatusCode.UNAVAILABLE);
      expect(error.details()).toMatch(
        new RegExp(`^127\\.0\\.0\\.1:${port} (answered, but not in HTTP/2|closed the connection before answering in HTTP/2)`),
      );
      expect(error.details()).not.toMatch(/\d{4}-\d\d-\d\dT/);
    } finally {
      channel.close();
      http1.closeAllConnections();
      await new Promise<void>((resolve) => http1.close(() => resolve()));
    }
  });

  it("a server that accepts TCP and never answers: the call ends at its deadline, and waitForReady waits too", async () => {
    const sockets = new Set<Socket>();
    const silent: NetServer = createNetServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const channel = insecureChannel(`127.0.0.1:${port}`, { transport: "node-http2" });
    try {
      const started = Date.now();
      const error = await failure(channel, { timeout: 0.3 });
      expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(Date.now() - started).toBeLessThan(300 + 500);
      expect((await failure(channel, { timeout: 0.3, waitForReady: true })).code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    } finally {
      channel.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("TLS: a certificate for another name fails with UNAVAILABLE saying which names it holds", async () => {
    const certs = makeTestCertificates();
    const tls = await rawServer(
      () => (stream) => {
        stream.respond({ ...okHeaders, "grpc-status": "0" }, { endStream: true });
      },
      { key: certs.server.privateKey, cert: certs.server.certificateChain },
    );
    const channel = secureChannel(`127.0.0.1:${tls.port}`, sslChannelCredentials({ rootCertificates: certs.ca }), {
      transport: "node-http2",
      sslTargetNameOverride: "b.example",
    });
    const untrusted = secureChannel(`localhost:${tls.port}`, sslChannelCredentials({ rootCertificates: certs.otherCa }), {
      transport: "node-http2",
    });
    try {
      const error = await failure(channel);
      expect(error.code()).toBe(StatusCode.UNAVAILABLE);
      expect(error.details()).toMatch(
        new RegExp(`^TLS with 127\\.0\\.0\\.1:${tls.port}: the certificate is for .*localhost.*, not b\\.example$`),
      );
      const notTrusted = await failure(untrusted);
      expect(notTrusted.code()).toBe(StatusCode.UNAVAILABLE);
      expect(notTrusted.details()).toMatch(/^TLS with .*: the certificate/);
    } finally {
      channel.close();
      untrusted.close();
      await tls.close();
    }
  });
});
