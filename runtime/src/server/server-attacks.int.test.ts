// Hostile peers, on both server transports side by side (the one switch): each attack comes from
// a raw client — node:http2, a bare socket, or Python's h2 (python3-h2) for the frames node:http2
// will not send — gets the answer it must get (or its connection closed), and the server goes on
// answering a well-behaved client afterwards. The server runs in a child process
// (testdata/attack-server.ts), so its memory is its own: after every attack it is measured after a
// full GC, and it must stay within a bound of where it started. The last test stops the server
// with every kind of peer still connected. docs/transports.md has the table.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import * as http2 from "node:http2";
import * as net from "node:net";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { checkLeaksAfterAll, forkTs, frame, rawGrpcCall, settled, type TsChild, testServerTransport } from "@tsgrpc/test-utils";
import type { AttackServerStats } from "./testdata/attack-server.js";

checkLeaksAfterAll();

const onNodeHttp2 = testServerTransport === "node-http2";
const mebibyte = 1024 * 1024;
/**
 * How far the server's RSS (after a GC) may rise over where it started, at any point: 1,000
 * concurrent streams (maxConcurrentStreams) held by one attacker take ~40 MiB on either transport,
 * which the allocator keeps for a while after they are gone.
 */
const rssBound = 64 * mebibyte;
/** How far its heap (after a GC) may have grown once the attacks are over: what would be a leak. */
const heapBound = 5 * mebibyte;

let child: TsChild;
let port = 0;
let baseline: AttackServerStats;
/** The server's growth over the baseline after each attack (after a GC), for the final bounds. */
const growth = new Map<string, { rss: number; heap: number }>();

/** The server's counters and memory (after a full GC). */
async function stats(): Promise<AttackServerStats> {
  const reply = child.message<AttackServerStats>((message) => "rss" in message);
  child.process.send("stats?");
  return reply;
}

/** Resolves once `condition` holds; rejects after `withinMs`, naming what was awaited. */
async function until(what: string, condition: () => Promise<boolean>, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${withinMs} ms`);
    await sleep(20);
  }
}

/** A client that sends what an attacker would: header blocks past 64 KiB, PINGs and SETTINGS past 10 unanswered (Node's defaults). */
const attackerOptions = {
  maxSendHeaderBlockLength: 16 * mebibyte,
  maxOutstandingPings: 20_000,
  // In Node's HTTP/2 since 16, not in @types/node 20.
  maxOutstandingSettings: 20_000,
} as http2.ClientSessionOptions;

function connect(options: http2.ClientSessionOptions = attackerOptions): http2.ClientHttp2Session {
  const session = http2.connect(`http://127.0.0.1:${port}`, options);
  session.on("error", () => {});
  return session;
}

/** Resolves when `session` has closed (the server ended it, or it ended itself). */
function closed(session: http2.ClientHttp2Session): Promise<void> {
  return session.closed || session.destroyed ? Promise.resolve() : new Promise((resolve) => session.once("close", () => resolve()));
}

/** A well-behaved call on a new connection: the server still serves. */
async function expectServing(): Promise<void> {
  const session = connect();
  try {
    const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("still here"))]);
    expect([answer.status, answer.messages[0]?.data.toString()]).toEqual(["0", "still here"]);
  } finally {
    session.destroy();
  }
}

/** Runs `attack` on a new connection, then checks the server serves; the connection is closed after. */
async function afterAttack(attack: (session: http2.ClientHttp2Session) => Promise<void>): Promise<void> {
  const session = connect();
  try {
    await attack(session);
  } finally {
    session.destroy();
  }
  await expectServing();
}

/** Echo calls the server has answered since `since`. */
async function handledSince(since: AttackServerStats): Promise<number> {
  return (await stats()).handled - since.handled;
}

/** What Python's h2 peer (testdata/h2-peer.py) saw of the server's answer. */
interface PeerAnswer {
  http: number | null;
  status: string | null;
  message: string | null;
  rst: number | null;
  goaway: number | null;
  closed: boolean;
}

const python = "/usr/bin/python3";
const h2PeerScript = path.join(__dirname, "testdata", "h2-peer.py");

/** Runs one attack of Python's h2 peer against the server and returns what it saw. */
async function h2Peer(attack: string): Promise<PeerAnswer> {
  const { stdout } = await promisify(execFile)(python, [h2PeerScript, String(port), attack], { timeout: 20_000 });
  return JSON.parse(stdout.trim().split("\n").pop() as string) as PeerAnswer;
}

/** A Python h2 peer that has sent `attack` and stays connected until the server closes the connection. */
async function heldH2Peer(attack: string): Promise<{ answer: Promise<PeerAnswer>; kill(): void }> {
  const peer = spawn(python, [h2PeerScript, String(port), attack, "hold"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: peer.stdout })[Symbol.asyncIterator]();
  const ready = (await lines.next()).value as string;
  expect(JSON.parse(ready)).toEqual({ ready: true });
  const answer = lines.next().then((line) => JSON.parse(line.value as string) as PeerAnswer);
  return { answer, kill: () => peer.kill() };
}

/** A stream of `Count`: the server streams `count` messages to it. */
function countStream(session: http2.ClientHttp2Session, count: number): http2.ClientHttp2Stream {
  const stream = session.request({ ":method": "POST", ":path": "/test.Attack/Count", "content-type": "application/grpc", te: "trailers" });
  stream.on("error", () => {});
  const request = Buffer.alloc(4);
  request.writeUInt32BE(count);
  stream.end(frame(request));
  return stream;
}

/** A stream of `Sink` (whose handler never reads) that writes `messages` messages of 4 MiB. */
function sinkStream(session: http2.ClientHttp2Session, messages: number): http2.ClientHttp2Stream {
  const stream = session.request({ ":method": "POST", ":path": "/test.Attack/Sink", "content-type": "application/grpc", te: "trailers" });
  stream.on("error", () => {});
  const message = frame(Buffer.alloc(4 * mebibyte, 7));
  for (let i = 0; i < messages; i++) stream.write(message);
  return stream;
}

describe(`attacks on the ${testServerTransport} server transport`, () => {
  beforeAll(async () => {
    await promisify(execFile)(python, ["-c", "import h2, hyperframe, hpack"]).catch((error: Error) => {
      throw new Error(
        `the attack suite's HTTP/2 peer needs Python's h2 for ${python}: apt-get install -y python3-h2 (.ci/run installs it) (${error.message})`,
      );
    });
    child = forkTs(path.join(__dirname, "testdata", "attack-server.ts"));
    ({ port } = (await child.message<{ port?: number }>((message) => message.port !== undefined)) as { port: number });
    // Warmed up, so that what the first calls allocate once is in the baseline.
    const session = connect();
    for (let i = 0; i < 200; i++) await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("warm"))]);
    session.destroy();
    baseline = await stats();
  }, 30_000);
  afterEach(async () => {
    if (!child.process.connected) return;
    const { rss, heapUsed } = await stats();
    growth.set(expect.getState().currentTestName ?? "?", { rss: rss - baseline.rss, heap: heapUsed - baseline.heapUsed });
  });
  afterAll(() => child.close());

  describe("gRPC framing", () => {
    it("a 4 GiB length prefix: RESOURCE_EXHAUSTED, nothing buffered", async () => {
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [Buffer.from([0, 255, 255, 255, 255, 1, 2, 3])]);
        expect(answer.status).toBe("8");
      });
    });

    it("a short length prefix (the stream ends inside it): never OK", async () => {
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [Buffer.from([0, 0, 0])]);
        // grpc-js drops the partial message unseen, so the unary RPC has no request; node-http2 says so.
        expect(answer.status).toBe(onNodeHttp2 ? "13" : "12");
      });
    });

    it("a message over maxReceiveMessageLength (4 MiB + 1): RESOURCE_EXHAUSTED", async () => {
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.alloc(4 * mebibyte + 1))]);
        expect(answer.status).toBe("8");
      });
    });

    it("the compressed flag without grpc-encoding: INTERNAL on node-http2, read as uncompressed by grpc-js", async () => {
      const before = await stats();
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"), true)]);
        // grpc-js reads the message as if the flag were clear.
        expect(answer.status).toBe(onNodeHttp2 ? "13" : "0");
      });
      expect(await handledSince(before)).toBe(onNodeHttp2 ? 1 : 2);
    });

    it("an unknown grpc-encoding: UNIMPLEMENTED, no handler runs", async () => {
      const before = await stats();
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"), true)], { "grpc-encoding": "br" });
        expect(answer.status).toBe("12");
      });
      expect(await handledSince(before)).toBe(1);
    });

    it("a gzip bomb (1 MiB that inflates to 1 GiB): RESOURCE_EXHAUSTED, never inflated in full", async () => {
      const bomb = gzipSync(Buffer.alloc(1024 * mebibyte), { level: 9 });
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(bomb, true)], { "grpc-encoding": "gzip" });
        expect(answer.status).toBe("8");
      });
    }, 30_000);

    it("a malformed grpc-timeout (1X): ignored as grpcio does on node-http2, INTERNAL on grpc-js", async () => {
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"))], { "grpc-timeout": "1X" });
        expect(answer.status).toBe(onNodeHttp2 ? "0" : "13");
      });
    });
  });

  describe("headers", () => {
    it("a wrong content-type: HTTP 415, no handler runs", async () => {
      const before = await stats();
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"))], { "content-type": "text/html" });
        expect(answer.httpStatus).toBe(415);
      });
      expect(await handledSince(before)).toBe(1);
    });

    it("a 1 MB header value: the connection ends (GOAWAY COMPRESSION_ERROR from Node's HTTP/2), never served", async () => {
      const before = await stats();
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"))], { "x-huge": "h".repeat(mebibyte) });
        expect([answer.status, answer.rstCode]).toEqual([undefined, http2.constants.NGHTTP2_COMPRESSION_ERROR]);
      });
      expect(await handledSince(before)).toBe(1);
    });

    it("10,000 headers: the stream is reset (ENHANCE_YOUR_CALM, maxHeaderListPairs), never served", async () => {
      const before = await stats();
      const headers: http2.OutgoingHttpHeaders = {};
      for (let i = 0; i < 10_000; i++) headers[`x-h${i}`] = "v";
      await afterAttack(async (session) => {
        const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"))], headers);
        expect([answer.status, answer.rstCode]).toEqual([undefined, http2.constants.NGHTTP2_ENHANCE_YOUR_CALM]);
      });
      expect(await handledSince(before)).toBe(1);
    });

    it("a CONTINUATION flood (10,000 frames, no END_HEADERS; CVE-2024-27983): GOAWAY from nghttp2's CONTINUATION limit", async () => {
      const answer = await h2Peer("continuation-flood");
      expect([answer.goaway, answer.closed]).toEqual([http2.constants.NGHTTP2_INTERNAL_ERROR, true]);
      await expectServing();
    });

    it.each([
      ["no :path", "missing-path"],
      ["an upper-case metadata key (HTTP/2 forbids it)", "uppercase-key"],
    ])("%s: RST_STREAM PROTOCOL_ERROR, never served", async (_what, attack) => {
      const before = await stats();
      const answer = await h2Peer(attack);
      expect([answer.rst, answer.status]).toEqual([http2.constants.NGHTTP2_PROTOCOL_ERROR, null]);
      await expectServing();
      expect(await handledSince(before)).toBe(1);
    });

    it("a metadata key with a space: the header is dropped (Node's HTTP/2), the call is served", async () => {
      expect((await h2Peer("invalid-key")).status).toBe("0");
      await expectServing();
    });

    it("a -bin value that is not base64: served, the value decoded leniently", async () => {
      expect((await h2Peer("invalid-bin")).status).toBe("0");
      await expectServing();
    });
  });

  describe("floods", () => {
    it("rapid reset: 10,000 streams opened and reset at once (CVE-2023-44487)", async () => {
      await afterAttack(async (session) => {
        for (let i = 0; i < 10_000 && !session.destroyed; i++) {
          const stream = session.request({ ":method": "POST", ":path": "/test.Attack/Echo", "content-type": "application/grpc" });
          stream.on("error", () => {});
          stream.close(http2.constants.NGHTTP2_CANCEL);
          if (i % 500 === 0) await sleep(1);
        }
        // The server either keeps up or ends the connection: both are fine, a crash or a hang is not.
        await Promise.race([closed(session), sleep(500)]);
      });
    }, 60_000);

    it("a PING flood: 10,000 PINGs without waiting", async () => {
      await afterAttack(async (session) => {
        for (let i = 0; i < 10_000 && !session.destroyed; i++) {
          try {
            session.ping(() => {});
          } catch {
            break; // Node refuses more outstanding PINGs than its limit: the flood is capped there too.
          }
        }
        await Promise.race([closed(session), sleep(500)]);
        // node-http2 polices PINGs (GOAWAY ENHANCE_YOUR_CALM, see server-keepalive); grpc-js does not.
        if (onNodeHttp2) await closed(session);
      });
    });

    it("a SETTINGS flood: 10,000 SETTINGS frames", async () => {
      await afterAttack(async (session) => {
        await new Promise((resolve) => (session.connecting ? session.once("connect", resolve) : resolve(null)));
        for (let i = 0; i < 10_000 && !session.destroyed; i++) {
          try {
            session.settings({ enablePush: false });
          } catch {
            break; // Node caps SETTINGS awaiting acknowledgement on the client side too.
          }
        }
        await Promise.race([closed(session), sleep(500)]);
      });
    });
  });

  describe("slow peers", () => {
    it("slowloris: a client that drips its preface is closed by handshakeTimeout", async () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("error", () => {});
      socket.resume();
      const started = Date.now();
      const gone = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
      const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
      for (const byte of preface) {
        if (socket.destroyed) break;
        socket.write(Buffer.from([byte]));
        await sleep(100);
        if (Date.now() - started > 3000) break;
      }
      const at = await gone;
      expect(at - started).toBeLessThan(3000);
      socket.destroy();
      await expectServing();
    });

    it("3,000 concurrent streams that never finish their message: no handler runs, and others are served", async () => {
      const before = await stats();
      await afterAttack(async (session) => {
        const streams: http2.ClientHttp2Stream[] = [];
        for (let i = 0; i < 3000 && !session.destroyed; i++) {
          const stream = session.request({ ":method": "POST", ":path": "/test.Attack/Echo", "content-type": "application/grpc" });
          stream.on("error", () => {});
          stream.write(Buffer.from([0, 0, 0, 0, 9])); // a message that never completes
          streams.push(stream);
        }
        await expectServing();
        // No handler has had a whole request, so only the well-behaved call was answered.
        expect(await handledSince(before)).toBe(1);
        for (const stream of streams) stream.close(http2.constants.NGHTTP2_CANCEL);
      });
    }, 60_000);

    it("a zero-window reader of a 1,000,000-message stream: the handler is held within bounds, and cancelled when the reader leaves", async () => {
      const before = await stats();
      const session = connect({ settings: { initialWindowSize: 0 } });
      const stream = countStream(session, 1_000_000);
      const sent = (await settled(async () => (await stats()).sent)) - before.sent;
      // Started, then held by the stream's backpressure: the 1,000,000 messages are not queued.
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThan(2000);
      expect((await stats()).active).toBe(before.active + 1);
      stream.close(http2.constants.NGHTTP2_CANCEL);
      await until("the held handler to end", async () => (await stats()).active === before.active);
      session.destroy();
      await expectServing();
    });

    it("four never-read streams of 4 MiB messages: the server holds at most a window of each", async () => {
      const before = await stats();
      const session = connect();
      const streams = [0, 1, 2, 3].map(() => sinkStream(session, 4));
      await until("the four handlers to start", async () => (await stats()).active === before.active + 4);
      const held = (await settled(async () => (await stats()).rss)) - before.rss;
      expect(held).toBeLessThan(8 * mebibyte);
      for (const stream of streams) stream.close(http2.constants.NGHTTP2_CANCEL);
      await until("the handlers to be cancelled", async () => (await stats()).active === before.active);
      session.destroy();
      await expectServing();
    });
  });

  it(`the server's RSS stayed within ${rssBound / mebibyte} MiB of where it started, and its heap ends within ${heapBound / mebibyte} MiB`, () => {
    const after = [...growth];
    const mib = (bytes: number) => `${(bytes / mebibyte).toFixed(1)} MiB`;
    if (process.env.TSGRPC_ATTACK_REPORT)
      console.log(after.map(([name, { rss, heap }]) => `rss ${mib(rss)} heap ${mib(heap)}: ${name}`).join("\n"));
    expect(after.length).toBeGreaterThan(20);
    expect(Math.max(...after.map(([, { rss }]) => rss))).toBeLessThan(rssBound);
    expect(after.at(-1)?.[1].heap).toBeLessThan(heapBound);
  });

  it("stop(1) with every kind of peer still connected ends within grace + 1 s", async () => {
    const sessions = [connect(), connect({ settings: { initialWindowSize: 0 } }), connect()];
    const [idle, zeroWindow, writer] = sessions as [http2.ClientHttp2Session, http2.ClientHttp2Session, http2.ClientHttp2Session];
    await new Promise((resolve) => idle.once("connect", resolve));
    countStream(zeroWindow, 1_000_000);
    sinkStream(writer, 4);
    const unfinished = writer.request({ ":method": "POST", ":path": "/test.Attack/Echo", "content-type": "application/grpc" });
    unfinished.on("error", () => {});
    unfinished.write(Buffer.from([0, 0, 0, 0, 9]));
    const silent = net.connect(port, "127.0.0.1");
    silent.on("error", () => {});
    silent.resume();
    const silentClosed = once(silent, "close");
    await once(silent, "connect");
    const continuation = await heldH2Peer("continuation-hold");
    await until("the held handlers to start", async () => (await stats()).active >= baseline.active + 2);

    const reply = child.message<{ stoppedMs: number }>((message) => "stoppedMs" in message);
    child.process.send({ stop: 1 });
    const { stoppedMs } = await reply;
    expect(stoppedMs).toBeLessThan(2000);
    // Every peer's connection is gone.
    await Promise.all([...sessions.map(closed), silentClosed, continuation.answer]);
    expect((await continuation.answer).closed).toBe(true);
    for (const session of sessions) session.destroy();
    silent.destroy();
    continuation.kill();
  }, 15_000);
});
