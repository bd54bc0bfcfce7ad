// The node-http2 server transport on the wire, through a raw node:http2 client: how messages are
// cut from DATA frames, and the status each malformed request gets (PROTOCOL-HTTP2.md; grpcio's
// behaviour where the spec leaves room). The server keeps answering after every one.
import * as http2 from "node:http2";
import { deflateSync, gzipSync } from "node:zlib";
import { checkLeaksAfterAll, frame, rawGrpcCall } from "@tsgrpc/test-utils";
import { frameMessage } from "../protocol/message-framing.js";
import { streamStreamRpcMethodHandler, unaryUnaryRpcMethodHandler } from "../server/method-handlers.js";
import { server } from "../transports/server.js";

checkLeaksAfterAll();

const bytes = { requestDeserializer: (data: Uint8Array) => data, responseSerializer: (data: Uint8Array) => data };

describe("the node-http2 server transport on the wire", () => {
  const srv = server({ transport: "node-http2", logger: null, maxReceiveMessageLength: 1024 });
  let handled = 0;
  srv.addRegisteredMethodHandlers("test.Wire", {
    // Echoes the request, with its metadata in the trailers.
    Echo: unaryUnaryRpcMethodHandler(async (request: Uint8Array, context) => {
      handled++;
      context.setTrailingMetadata(context.invocationMetadata());
      return request;
    }, bytes),
    // Answers each request with its length, one byte.
    Lengths: streamStreamRpcMethodHandler(async function* (requests: AsyncIterable<Uint8Array>) {
      handled++;
      for await (const request of requests) yield new Uint8Array([request.byteLength]);
    }, bytes),
  });
  let session: http2.ClientHttp2Session;

  beforeAll(async () => {
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", () => {});
  });
  afterAll(async () => {
    session.destroy();
    await srv.stop(null);
  });

  /** Sends `chunks` as separate writes (each its own DATA frame at least), then ends the stream. */
  const call = (path: string, chunks: Uint8Array[], headers: http2.OutgoingHttpHeaders = {}) => rawGrpcCall(session, path, chunks, headers);

  const framed = (...messages: number[][]) => Buffer.concat(messages.map((m) => frameMessage(new Uint8Array(m))));

  it("cuts messages split across DATA frames and coalesced within one", async () => {
    const whole = framed([1, 2, 3], [4], [], [5, 6]);
    // Split inside a prefix, inside a body, and with two messages in one frame.
    const chunks = [whole.subarray(0, 2), whole.subarray(2, 7), whole.subarray(7, 15), whole.subarray(15)];
    const answer = await call("/test.Wire/Lengths", chunks);
    expect(answer.status).toBe("0");
    expect([...answer.body]).toEqual([...framed([3], [1], [0], [2])]);
  });

  it("sends headers, messages and trailers in order, grpc-message percent-encoded", async () => {
    const answer = await call("/test.Wire/Echo", [framed([9, 9])], { "x-text": "hi", "x-data-bin": "AQI" });
    expect(answer.headers[":status"]).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/grpc");
    expect([...answer.body]).toEqual([...framed([9, 9])]);
    expect(answer.trailers).toMatchObject({ "grpc-status": "0", "x-text": "hi", "x-data-bin": "AQI" });
    expect(answer.trailers?.["grpc-message"]).toBeUndefined();
  });

  it.each<[string, Uint8Array[], string, string]>([
    [
      "a 4 GiB length prefix",
      [Buffer.from([0, 255, 255, 255, 255, 1, 2, 3])],
      "8",
      "Received message larger than max (4294967295 vs. 1024)",
    ],
    ["a message over maxReceiveMessageLength", [framed(new Array(1025).fill(1))], "8", "Received message larger than max (1025 vs. 1024)"],
    ["a stream ending inside a prefix", [Buffer.from([0, 0, 0])], "13", "The stream ended inside a message (3 bytes of it received)"],
    [
      "a stream ending inside a message",
      [Buffer.from([0, 0, 0, 0, 9, 1, 2])],
      "13",
      "The stream ended inside a message (7 bytes of it received)",
    ],
    ["an undefined message flag", [Buffer.from([7, 0, 0, 0, 0])], "13", "Invalid message flag 7 (only 0 and 1 are defined)"],
    [
      "the compressed flag on a call without grpc-encoding",
      [Buffer.from([1, 0, 0, 0, 1, 0])],
      "13",
      "A compressed message arrived on a call without grpc-encoding",
    ],
  ])("answers %s with a status, never OK, and keeps serving", async (_, chunks, status, message) => {
    handled = 0;
    const answer = await call("/test.Wire/Echo", chunks);
    expect([answer.status, answer.message]).toEqual([status, message]);
    expect((await call("/test.Wire/Echo", [framed([1])])).status).toBe("0");
  });

  it("refuses what is not gRPC before any handler runs: 405, 415, UNIMPLEMENTED", async () => {
    handled = 0;
    expect((await call("/test.Wire/Echo", [framed([1])], { ":method": "PUT" })).httpStatus).toBe(405);
    expect((await call("/test.Wire/Echo", [framed([1])], { "content-type": "text/plain" })).httpStatus).toBe(415);
    expect((await call("/test.Wire/Echo", [framed([1])], { "content-type": "application/grpc+json" })).httpStatus).toBe(415);
    const unknown = await call("/test.Wire/Nope", [framed([1])]);
    expect([unknown.httpStatus, unknown.status, unknown.message, unknown.trailers]).toEqual([200, "12", "Method not found!", undefined]);
    const encoded = await call("/test.Wire/Echo", [framed([1])], { "grpc-encoding": "br" });
    expect([encoded.status, encoded.message, encoded.headers["grpc-accept-encoding"]]).toEqual([
      "12",
      'Compression algorithm "br" is not supported',
      "identity,deflate,gzip",
    ]);
    expect(handled).toBe(0);
    expect((await call("/test.Wire/Echo", [framed([1])], { "content-type": "application/grpc+proto" })).status).toBe("0");
  });

  it("reads metadata as sent: repeated keys apart, -bin padded or not, reserved headers hidden", async () => {
    const answer = await call("/test.Wire/Echo", [framed([])], {
      "x-rep": ["a", "b"],
      "x-p-bin": "AQ==",
      "x-u-bin": "AQ",
      "grpc-timeout": "10S",
    });
    expect(answer.trailers?.["x-rep"]).toBe("a, b");
    expect([answer.trailers?.["x-p-bin"], answer.trailers?.["x-u-bin"]]).toEqual(["AQ", "AQ"]);
    expect(answer.trailers?.["grpc-timeout"]).toBeUndefined();
  });
});

describe("compressed requests on the node-http2 server transport", () => {
  // The default 4 MiB limit: a bomb gets through the framing (its compressed size is small) and
  // must be stopped while it inflates.
  const srv = server({ transport: "node-http2", logger: null });
  let handled = 0;
  srv.addRegisteredMethodHandlers("test.Wire", {
    Echo: unaryUnaryRpcMethodHandler(async (request: Uint8Array) => {
      handled++;
      return request.subarray(0, 10);
    }, bytes),
  });
  let session: http2.ClientHttp2Session;
  beforeAll(async () => {
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", () => {});
  });
  afterAll(async () => {
    session.destroy();
    await srv.stop(null);
  });

  const compressedFrame = (data: Buffer) => frame(data, true);
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));

  it.each<[string, () => Buffer, string, string, string]>([
    // 16 KiB that inflates to 16 MiB.
    ["a 16 KiB gzip bomb", () => member, "gzip", "8", "Received message larger than max (more than 4194304 bytes once decompressed)"],
    // 1 MiB (64 gzip members of 16 KiB) that inflates to 1 GiB: zlib stops at the limit.
    [
      "a 1 GiB gzip bomb",
      () => Buffer.concat(new Array(64).fill(member)),
      "gzip",
      "8",
      "Received message larger than max (more than 4194304 bytes once decompressed)",
    ],
    [
      "a truncated deflate stream",
      () => deflateSync(Buffer.alloc(5000, 7)).subarray(0, 20),
      "deflate",
      "13",
      "Failed to decompress a deflate message: unexpected end of file",
    ],
    [
      "bytes that are not gzip",
      () => Buffer.from("not gzip at all"),
      "gzip",
      "13",
      "Failed to decompress a gzip message: incorrect header check",
    ],
  ])("answers %s with a status and keeps serving", async (_, body, encoding, status, message) => {
    handled = 0;
    const request = compressedFrame(body());
    const before = process.memoryUsage().arrayBuffers;
    const answer = await rawGrpcCall(session, "/test.Wire/Echo", [request], { "grpc-encoding": encoding });
    expect([answer.status, answer.message, handled]).toEqual([status, message, 0]);
    // Nothing near the inflated size was kept (generous: the test's own buffers count too).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
    const ok = await rawGrpcCall(session, "/test.Wire/Echo", [frame(gzipSync(Buffer.from("fine")), true)], { "grpc-encoding": "gzip" });
    expect([ok.status, ok.messages[0]?.data.toString()]).toEqual(["0", "fine"]);
  });

  it("reads a compressed call's uncompressed messages (the flag is per message)", async () => {
    const answer = await rawGrpcCall(session, "/test.Wire/Echo", [frame(Buffer.from("plain"))], { "grpc-encoding": "gzip" });
    expect([answer.status, answer.messages[0]?.data.toString()]).toEqual(["0", "plain"]);
  });
});
