import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ClientInterceptor,
  FutureCancelledError,
  interceptChannel,
  RpcError,
  type ServicerContext,
  StatusCode,
  servicerMethodHandlers,
} from "@tsgrpc/runtime";
import { checkLeaksAfterAll, insecureChannelUnderTest, jsonMethod, sleep, startTestServer, type TestServer } from "@tsgrpc/test-utils";
import { metadataInterceptor } from "./metadata.js";
import { retryInterceptor } from "./retry.js";

// The interceptors docs/interceptors.md shows, run against a real server.

interface Msg {
  text: string;
}

const methods = {
  Flaky: jsonMethod<Msg, Msg>("/test.Examples/Flaky"),
  Headers: jsonMethod<Msg, Msg>("/test.Examples/Headers"),
  HeadersStream: jsonMethod<Msg, Msg>("/test.Examples/HeadersStream", { responseStream: true }),
  HeadersUpload: jsonMethod<Msg, Msg>("/test.Examples/HeadersUpload", { requestStream: true }),
  HeadersChat: jsonMethod<Msg, Msg>("/test.Examples/HeadersChat", { requestStream: true, responseStream: true }),
};

checkLeaksAfterAll();

describe("example interceptors", () => {
  let t: TestServer;
  let attempts = 0;
  /** How many attempts fail before one succeeds, and with which code. */
  let failures = { count: 0, code: StatusCode.UNAVAILABLE };

  beforeAll(async () => {
    const header = (c: ServicerContext) => ({ text: String(c.invocationMetadata().get("x-request-id")) });
    const servicer = {
      Flaky: (r: Msg, c: ServicerContext) => {
        attempts++;
        if (attempts <= failures.count) c.abort(failures.code, `attempt ${attempts} failed`);
        return { text: `${r.text} after ${attempts}` };
      },
      Headers: (_r: Msg, c: ServicerContext) => header(c),
      *HeadersStream(_r: Msg, c: ServicerContext) {
        yield header(c);
      },
      HeadersUpload: async (r: AsyncIterable<Msg>, c: ServicerContext) => {
        for await (const _ of r);
        return header(c);
      },
      async *HeadersChat(r: AsyncIterable<Msg>, c: ServicerContext) {
        for await (const _ of r) yield header(c);
      },
    };
    t = await startTestServer((s) => s.addRegisteredMethodHandlers("test.Examples", servicerMethodHandlers(servicer, methods)));
  });
  afterAll(() => t.close());
  beforeEach(() => {
    attempts = 0;
  });

  const flaky = (options = {}) =>
    interceptChannel(t.channel, retryInterceptor({ initialBackoff: 0.01, ...options })).unaryUnary(methods.Flaky);

  it("retry: retries UNAVAILABLE until an attempt succeeds", async () => {
    failures = { count: 2, code: StatusCode.UNAVAILABLE };
    const [response, call] = await flaky().withCall({ text: "ok" });
    expect(response).toEqual({ text: "ok after 3" });
    expect(await call.code()).toBe(StatusCode.OK);
  });

  it("retry: gives up after maxAttempts with the last error, and never retries other codes", async () => {
    failures = { count: 10, code: StatusCode.UNAVAILABLE };
    const error = (await flaky({ maxAttempts: 2 })({ text: "x" }).catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.details()).toBe("attempt 2 failed");
    attempts = 0;
    failures = { count: 10, code: StatusCode.INVALID_ARGUMENT };
    await expect(flaky()({ text: "x" })).rejects.toMatchObject({ message: expect.stringMatching(/INVALID_ARGUMENT/) });
    expect(attempts).toBe(1);
  });

  it("retry: stays within the call's deadline", async () => {
    failures = { count: 1000, code: StatusCode.UNAVAILABLE };
    const started = Date.now();
    const error = (await flaky({ maxAttempts: 1000, maxBackoff: 0.05 })({ text: "x" }, { timeout: 0.3 }).catch(
      (e: unknown) => e,
    )) as RpcError;
    expect(Date.now() - started).toBeLessThan(300 + 500);
    expect([StatusCode.UNAVAILABLE, StatusCode.DEADLINE_EXCEEDED]).toContain(error.code());
    expect(attempts).toBeGreaterThan(1);
  });

  it("retry: cancelling the future stops the retries", async () => {
    failures = { count: 1000, code: StatusCode.UNAVAILABLE };
    let started = 0;
    const counting: ClientInterceptor = {
      interceptUnaryUnary: (continuation, details, request) => {
        started++;
        return continuation(details, request);
      },
    };
    const retry = retryInterceptor({ maxAttempts: 1000, initialBackoff: 0.05, maxBackoff: 0.05 });
    const future = interceptChannel(t.channel, retry, counting).unaryUnary(methods.Flaky).future({ text: "x" });
    await sleep(100);
    expect(future.cancel()).toBe(true);
    await expect(future.result()).rejects.toBeInstanceOf(FutureCancelledError);
    const after = started;
    expect(after).toBeGreaterThan(1);
    await sleep(150);
    expect(started).toBe(after);
  });

  it("metadata: adds a fresh header to calls of all four kinds", async () => {
    let next = 0;
    const channel = insecureChannelUnderTest(t.target, { interceptors: [metadataInterceptor(() => ({ "x-request-id": `r${++next}` }))] });
    try {
      await expect(channel.unaryUnary(methods.Headers)({ text: "" })).resolves.toEqual({ text: "r1" });
      for await (const m of channel.unaryStream(methods.HeadersStream)({ text: "" })) expect(m).toEqual({ text: "r2" });
      await expect(channel.streamUnary(methods.HeadersUpload)([{ text: "" }])).resolves.toEqual({ text: "r3" });
      for await (const m of channel.streamStream(methods.HeadersChat)([{ text: "" }])) expect(m).toEqual({ text: "r4" });
    } finally {
      channel.close();
    }
  });

  it("docs/interceptors.md quotes these files as they are", () => {
    const doc = readFileSync(join(__dirname, "../../../../docs/interceptors.md"), "utf8");
    for (const file of ["retry.ts", "metadata.ts"]) {
      expect(doc).toContain(readFileSync(join(__dirname, file), "utf8").trim());
    }
  });
});
