// `stop(grace)` always ends: after `grace` seconds every connection is destroyed, sockets included,
// whatever the peer does — a peer that opened TCP and said nothing, one that sent only the HTTP/2
// preface, and one whose stream has a zero flow-control window each used to hold it forever.
// Then the connection limits that close such peers without a stop.
import * as http2 from "node:http2";
import * as net from "node:net";
import { setTimeout as sleepWithSignal } from "node:timers/promises";
import { checkLeaksAfterAll, jsonSerializers, serverUnderTest, sleep } from "@tsgrpc/test-utils";
import { unaryStreamRpcMethodHandler, unaryUnaryRpcMethodHandler } from "./method-handlers.js";
import type { Server, ServerOptions } from "./server.js";

interface Msg {
  pad?: string;
}
const serializers = jsonSerializers<Msg, Msg>();

checkLeaksAfterAll();

async function startServer(options: ServerOptions = {}): Promise<{ srv: Server; port: number }> {
  const srv = serverUnderTest({ logger: null, ...options });
  srv.addRegisteredMethodHandlers("test.Stop", {
    Echo: unaryUnaryRpcMethodHandler(async (request: Msg) => request, serializers),
    // Streams 16 KB messages until cancelled.
    Flood: unaryStreamRpcMethodHandler(async function* (_request: Msg, context) {
      const pad = "x".repeat(16 * 1024);
      while (context.isActive()) {
        yield { pad };
        await sleepWithSignal(0, undefined, { signal: context.signal }).catch(() => {});
      }
    }, serializers),
  });
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  return { srv, port };
}

/** A peer that reads nothing until asked whether the server has closed its connection. */
interface Peer {
  /** Starts reading; resolves once the server's end of the connection is gone. */
  closedByServer(): Promise<void>;
  destroy(): void;
}

function tcpPeer(port: number, send?: string): Promise<Peer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      if (send !== undefined) socket.write(send);
      const closed = new Promise<void>((done) => socket.once("close", () => done()));
      resolve({
        closedByServer: () => {
          socket.resume();
          return closed;
        },
        destroy: () => socket.destroy(),
      });
    });
    socket.on("error", () => {});
    // Not reading: the server can count neither on the peer draining its writes nor on it closing.
    socket.pause();
  });
}

const idlePeer = (port: number) => tcpPeer(port);

/** One Echo RPC (`{}`) on a raw HTTP/2 connection, resolved once its stream has closed. */
async function echoOnce(client: http2.ClientHttp2Session): Promise<void> {
  const stream = client.request({ ":method": "POST", ":path": "/test.Stop/Echo", "content-type": "application/grpc", te: "trailers" });
  stream.end(Buffer.from([0, 0, 0, 0, 2, 0x7b, 0x7d]));
  stream.resume();
  await new Promise((resolve) => stream.once("close", resolve));
}
const prefacePeer = (port: number) => tcpPeer(port, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** A real HTTP/2 client that opens a response stream and grants it no flow-control window. */
async function zeroWindowPeer(port: number): Promise<Peer> {
  const session = http2.connect(`http://127.0.0.1:${port}`, { settings: { initialWindowSize: 0 } });
  session.on("error", () => {});
  const closed = new Promise<void>((done) => session.once("close", () => done()));
  const request = Buffer.from(JSON.stringify({}));
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(request.length, 1);
  const stream = session.request({ ":method": "POST", ":path": "/test.Stop/Flood", "content-type": "application/grpc", te: "trailers" });
  stream.on("error", () => {});
  stream.end(Buffer.concat([prefix, request]));
  await new Promise((resolve) => stream.once("response", resolve));
  return { closedByServer: () => closed, destroy: () => session.destroy() };
}

const peers = [
  ["a TCP connection that sends nothing", idlePeer],
  ["a connection that sent only the HTTP/2 preface", prefacePeer],
  ["a stream with a zero flow-control window", zeroWindowPeer],
] as const;

describe.each(peers)("with %s", (_name, connect) => {
  it.each([0, 1, null])(
    "stop(%p) ends within grace + 1 s and closes the connection",
    async (grace) => {
      const { srv, port } = await startServer();
      const peer = await connect(port);
      try {
        await sleep(100);
        const started = Date.now();
        const stopped = srv.stop(grace);
        const outcome = await Promise.race([stopped.then(() => "stopped"), sleep(((grace ?? 0) + 1) * 1000).then(() => "still running")]);
        expect(outcome).toBe("stopped");
        expect(Date.now() - started).toBeLessThanOrEqual(((grace ?? 0) + 1) * 1000);
        await expect(srv.waitForTermination(1)).resolves.toBe(false);
        await expect(Promise.race([peer.closedByServer().then(() => "closed"), sleep(1_000).then(() => "open")])).resolves.toBe("closed");
      } finally {
        peer.destroy();
        await srv.stop(null);
      }
    },
    10_000,
  );
});

describe("connection limits", () => {
  it("closes a connection that starts no RPC within handshakeTimeout, and keeps one that does", async () => {
    const { srv, port } = await startServer({ handshakeTimeout: 0.3 });
    const idle = await idlePeer(port);
    const preface = await prefacePeer(port);
    const client = http2.connect(`http://127.0.0.1:${port}`);
    client.on("error", () => {});
    try {
      const stream = client.request({ ":method": "POST", ":path": "/test.Stop/Echo", "content-type": "application/grpc", te: "trailers" });
      stream.on("error", () => {});
      stream.end(Buffer.from([0, 0, 0, 0, 2, 0x7b, 0x7d]));
      stream.resume();
      const started = Date.now();
      await Promise.all([idle.closedByServer(), preface.closedByServer()]);
      expect(Date.now() - started).toBeLessThan(1_500);
      await sleep(300);
      expect(client.closed || client.destroyed).toBe(false);
    } finally {
      idle.destroy();
      preface.destroy();
      client.destroy();
      await srv.stop(null);
    }
  });

  it("advertises a finite SETTINGS_MAX_CONCURRENT_STREAMS, 1000 unless set", async () => {
    for (const [options, expected] of [
      [{}, 1000],
      [{ maxConcurrentStreams: 7 }, 7],
    ] as const) {
      const { srv, port } = await startServer(options);
      const client = http2.connect(`http://127.0.0.1:${port}`);
      try {
        const settings = await new Promise<http2.Settings>((resolve) => client.once("remoteSettings", resolve));
        expect(settings.maxConcurrentStreams).toBe(expected);
      } finally {
        client.destroy();
        await srv.stop(null);
      }
    }
  });

  it("closes a connection idle for maxConnectionIdle with GOAWAY", async () => {
    const { srv, port } = await startServer({ maxConnectionIdle: 0.3 });
    const client = http2.connect(`http://127.0.0.1:${port}`);
    client.on("error", () => {});
    try {
      const goaway = new Promise<void>((resolve) => client.once("goaway", () => resolve()));
      await echoOnce(client);
      const idleSince = Date.now();
      await goaway;
      expect(Date.now() - idleSince).toBeLessThan(1_500);
    } finally {
      client.destroy();
      await srv.stop(null);
    }
  });

  it("counts maxConnectionIdle from the end of the last RPC, not from the connection's start", async () => {
    const { srv, port } = await startServer({ maxConnectionIdle: 0.4 });
    const client = http2.connect(`http://127.0.0.1:${port}`);
    client.on("error", () => {});
    try {
      let goawayAt = 0;
      const goaway = new Promise<void>((resolve) =>
        client.once("goaway", () => {
          goawayAt = Date.now();
          resolve();
        }),
      );
      await new Promise((resolve) => client.once("connect", resolve));
      // An RPC that ends just before the connection has been open for maxConnectionIdle.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await echoOnce(client);
      const idleSince = Date.now();
      await goaway;
      expect(goawayAt - idleSince).toBeGreaterThanOrEqual(350);
      expect(goawayAt - idleSince).toBeLessThan(1_500);
    } finally {
      client.destroy();
      await srv.stop(null);
    }
  });

  it("rejects limits that are not positive", () => {
    expect(() => serverUnderTest({ maxConcurrentStreams: 0 })).toThrow(RangeError);
    expect(() => serverUnderTest({ handshakeTimeout: -1 })).toThrow(RangeError);
    expect(() => serverUnderTest({ maxConnectionIdle: Number.NaN })).toThrow(RangeError);
  });
});
