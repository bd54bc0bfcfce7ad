// A client-streaming handler that does not read (or reads slowly) must not make the server take in
// what a client pushes: the server reads a request only when the handler asks for one, so an unread
// stream holds no more than HTTP/2's flow-control window. The server runs in a child process so
// that its memory is its own; the clients are raw HTTP/2, as an attacker's would be.
import * as http2 from "node:http2";
import * as path from "node:path";
import { checkLeaksAfterAll, forkTs, sleep, type TsChild } from "@tsgrpc/test-utils";

interface Memory {
  rss: number;
  arrayBuffers: number;
  slowRead: number;
  reading: number;
}

const messageBytes = 4 * 1024 * 1024;
const streams = 4;
const messagesPerStream = 8;
const MB = 1024 * 1024;

checkLeaksAfterAll();

/** A gRPC frame: the 5-byte prefix, then `size` bytes. */
function frame(size: number): Buffer {
  const out = Buffer.alloc(5 + size, 7);
  out.writeUInt8(0, 0);
  out.writeUInt32BE(size, 1);
  return out;
}

describe("a client stream the handler does not read", () => {
  let child: TsChild;
  let port: number;
  beforeAll(async () => {
    child = forkTs(path.join(__dirname, "testdata", "hoarding-server.ts"));
    ({ port } = (await child.message<{ port?: number }>((m) => m.port !== undefined)) as { port: number });
  }, 30_000);
  afterAll(async () => {
    child.process.send("stop");
    await child.close();
  });

  const memory = async (): Promise<Memory> => {
    const reply = child.message<Memory>((m) => "rss" in m);
    child.process.send("memory?");
    return reply;
  };

  /** Opens `streams` streams to `method` on one connection and pushes 4 MB messages into each. */
  const push = (method: string) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", () => {});
    const message = frame(messageBytes);
    for (let s = 0; s < streams; s++) {
      const stream = session.request({
        ":method": "POST",
        ":path": `/test.Hoard/${method}`,
        "content-type": "application/grpc",
        te: "trailers",
      });
      stream.on("error", () => {});
      stream.resume();
      for (let m = 0; m < messagesPerStream; m++) stream.write(message);
    }
    return session;
  };

  it.each([
    ["never reads", "Ignore", 0],
    ["reads one message a second", "Slow", 3 * streams],
  ])(
    "that %s takes in at most 16 MB from 4 streams of 4 MB messages",
    async (_name, method, readInTest) => {
      const before = await memory();
      const session = push(method);
      // Long enough for the Slow handler to read about three messages per stream. Measured while no
      // handler is waiting on a read: the message a handler has asked for is on its way in then,
      // which is not read-ahead.
      await sleep(2_500);
      let during = await memory();
      for (let tries = 0; during.reading > 0 && tries < 40; tries++) {
        await sleep(25);
        during = await memory();
      }
      expect(during.reading).toBe(0);
      session.destroy();
      const took = during.arrayBuffers - before.arrayBuffers;
      const grew = during.rss - before.rss;
      // Before reading on demand: 537 MB taken in (32 messages per stream), RSS +600 MB.
      expect(took).toBeLessThanOrEqual(16 * MB);
      expect(grew).toBeLessThanOrEqual(64 * MB);
      expect(during.slowRead - before.slowRead).toBeLessThanOrEqual(readInTest);
    },
    30_000,
  );

  it("keeps answering other RPCs afterwards", async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const stream = session.request({
        ":method": "POST",
        ":path": "/test.Hoard/Ping",
        "content-type": "application/grpc",
        te: "trailers",
      });
      const trailers = new Promise<http2.IncomingHttpHeaders>((resolve) => stream.once("trailers", resolve));
      stream.end(frame(3));
      stream.resume();
      expect((await trailers)["grpc-status"]).toBe("0");
    } finally {
      session.destroy();
    }
  });
});
