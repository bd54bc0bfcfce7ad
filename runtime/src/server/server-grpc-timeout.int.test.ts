// Malformed `grpc-timeout` headers from a raw HTTP/2 client. A grpcio (C-core) server, probed with
// the same requests (packages/interop's grpcio server, Python grpcio 1.51), ignores a value it
// cannot parse and runs the call with no deadline (status 0, no grpc-message); it honours 9-digit
// values. The node-http2 transport does the same (protocol/grpc-timeout.ts). grpc-js parses the
// header before any code of ours sees it (and strips it from the metadata): on that transport an
// unparsable value gets INTERNAL and `-1S` reads as 1 s, so those rows are `it.failing` there; the
// server answers every one and stays up on both.
import * as http2 from "node:http2";
import { checkLeaksAfterAll, serverUnderTest, testServerTransport } from "@tsgrpc/test-utils";
import { unaryUnaryRpcMethodHandler } from "./method-handlers.js";

checkLeaksAfterAll();

interface Answer {
  status: string | undefined;
  message: string | undefined;
  /** `context.timeRemaining()` in the handler; null: no deadline; undefined: the handler did not run. */
  remaining: number | null | undefined;
}

describe("grpc-timeout", () => {
  const bytes = { requestDeserializer: (data: Uint8Array) => data, responseSerializer: (data: Uint8Array) => data };
  const srv = serverUnderTest({ logger: null });
  let remaining: number | null | undefined;
  srv.addRegisteredMethodHandlers("test.Timeout", {
    Probe: unaryUnaryRpcMethodHandler(async (request: Uint8Array, context) => {
      remaining = context.timeRemaining();
      return request;
    }, bytes),
  });
  let session: http2.ClientHttp2Session;

  beforeAll(async () => {
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    session = http2.connect(`http://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    session.destroy();
    await srv.stop(null);
  });

  async function probe(timeout: string): Promise<Answer> {
    remaining = undefined;
    const stream = session.request({
      ":method": "POST",
      ":path": "/test.Timeout/Probe",
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": timeout,
    });
    const answer: Answer = { status: undefined, message: undefined, remaining: undefined };
    stream.on("response", (headers) => {
      if (headers["grpc-status"] !== undefined)
        [answer.status, answer.message] = [String(headers["grpc-status"]), headers["grpc-message"] as string];
    });
    stream.on("trailers", (trailers) => {
      [answer.status, answer.message] = [String(trailers["grpc-status"]), trailers["grpc-message"] as string];
    });
    stream.resume();
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
    await new Promise((resolve) => stream.once("close", resolve));
    answer.remaining = remaining;
    return answer;
  }

  it("honours well-formed values, 8 digits included", async () => {
    const second = await probe("1S");
    expect(second.status).toBe("0");
    expect(second.remaining).toBeGreaterThan(0.5);
    expect(second.remaining).toBeLessThanOrEqual(1);
    // 8 digits, in a unit grpc-js's 32-bit millisecond arithmetic holds (99999999S wraps to ~14 days there).
    const most = await probe("99999999m");
    expect(most.status).toBe("0");
    expect(most.remaining).toBeGreaterThan(99_990);
  });

  it("answers every malformed value with a status and keeps serving", async () => {
    for (const value of ["-1S", "123456789S", "1X", "S", "1s"]) {
      const answer = await probe(value);
      expect(["0", "13"]).toContain(answer.status);
    }
    expect((await probe("1S")).status).toBe("0");
  });

  describe("as a grpcio server: a value it cannot parse is ignored (no deadline)", () => {
    const asGrpcio = testServerTransport === "grpc-js" ? it.failing : it;
    asGrpcio.each(["-1S", "1X", "S", "1s"])("%p (grpc-js: INTERNAL, or -1S read as 1 s)", async (value) => {
      expect(await probe(value)).toMatchObject({ status: "0", remaining: null });
    });
  });
});
