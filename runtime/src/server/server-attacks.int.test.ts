// Hostile peers, on both server transports side by side (the one switch): each attack comes from
// a raw HTTP/2 or TCP client, gets the answer it must get (or its connection closed), and the
// server goes on answering a well-behaved client afterwards. The first part of the hardening
// step's attack suite; docs/transports.md has the table.
import * as http2 from "node:http2";
import * as net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { checkLeaksAfterAll, frame, rawGrpcCall, serverUnderTest, testServerTransport } from "@tsgrpc/test-utils";
import { unaryUnaryRpcMethodHandler } from "./method-handlers.js";
import type { Server } from "./server.js";

checkLeaksAfterAll();

const bytes = { requestDeserializer: (data: Uint8Array) => data, responseSerializer: (data: Uint8Array) => data };
const onNodeHttp2 = testServerTransport === "node-http2";

let srv: Server;
let port = 0;
let handled = 0;

/** A client that sends what an attacker would: header blocks past 64 KiB, PINGs and SETTINGS past 10 unanswered (Node's defaults). */
const attackerOptions = {
  maxSendHeaderBlockLength: 16 * 1024 * 1024,
  maxOutstandingPings: 20_000,
  // In Node's HTTP/2 since 16, not in @types/node 20.
  maxOutstandingSettings: 20_000,
} as http2.ClientSessionOptions;

function connect(): http2.ClientHttp2Session {
  const session = http2.connect(`http://127.0.0.1:${port}`, attackerOptions);
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

describe(`attacks on the ${testServerTransport} server transport`, () => {
  // Inside the describe: stopped before the file's leak check runs.
  beforeAll(async () => {
    srv = serverUnderTest({ logger: null, handshakeTimeout: 1 });
    srv.addRegisteredMethodHandlers("test.Attack", {
      Echo: unaryUnaryRpcMethodHandler(async (request: Uint8Array) => {
        handled++;
        return request;
      }, bytes),
    });
    port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
  });
  afterAll(() => srv.stop(null));

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

  it("a wrong content-type: HTTP 415, no handler runs", async () => {
    handled = 0;
    await afterAttack(async (session) => {
      const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"))], { "content-type": "text/html" });
      expect(answer.httpStatus).toBe(415);
    });
    expect(handled).toBe(1);
  });

  it("a 1 MB header value: the connection ends (GOAWAY COMPRESSION_ERROR from Node's HTTP/2), never served", async () => {
    handled = 0;
    await afterAttack(async (session) => {
      const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"))], { "x-huge": "h".repeat(1024 * 1024) });
      expect([answer.status, answer.rstCode]).toEqual([undefined, http2.constants.NGHTTP2_COMPRESSION_ERROR]);
    });
    expect(handled).toBe(1);
  });

  it("10,000 headers: the stream is reset (ENHANCE_YOUR_CALM, maxHeaderListPairs), never served", async () => {
    handled = 0;
    const headers: http2.OutgoingHttpHeaders = {};
    for (let i = 0; i < 10_000; i++) headers[`x-h${i}`] = "v";
    await afterAttack(async (session) => {
      const answer = await rawGrpcCall(session, "/test.Attack/Echo", [frame(Buffer.from("x"))], headers);
      expect([answer.status, answer.rstCode]).toEqual([undefined, http2.constants.NGHTTP2_ENHANCE_YOUR_CALM]);
    });
    expect(handled).toBe(1);
  });

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
    handled = 0;
    await afterAttack(async (session) => {
      const streams: http2.ClientHttp2Stream[] = [];
      for (let i = 0; i < 3000 && !session.destroyed; i++) {
        const stream = session.request({ ":method": "POST", ":path": "/test.Attack/Echo", "content-type": "application/grpc" });
        stream.on("error", () => {});
        stream.write(Buffer.from([0, 0, 0, 0, 9])); // a message that never completes
        streams.push(stream);
      }
      await sleep(300);
      // No handler has a whole request, so none has answered; the server is not held up.
      expect(handled).toBe(0);
      for (const stream of streams) stream.close(http2.constants.NGHTTP2_CANCEL);
    });
  }, 60_000);
});
