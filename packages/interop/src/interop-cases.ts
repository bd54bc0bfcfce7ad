import assert from "node:assert/strict";
import { toBinary } from "@bufbuild/protobuf";
import { type Channel, Compression, Metadata, RpcError, StatusCode, statusCodeName, withWriteOptions } from "@tsgrpc/runtime";
import { EmptySchema } from "./gen/grpc/testing/empty_pb.js";
import type { StreamingOutputCallResponse } from "./gen/grpc/testing/messages_pb.js";
import { TestServiceStub, UnimplementedServiceStub } from "./gen/grpc/testing/test_grpc.js";
import { echoInitialKey, echoTrailingKey } from "./test-service.js";

/** The stubs a case runs against. */
export interface CaseStubs {
  test: TestServiceStub;
  unimplemented: UnimplementedServiceStub;
}

/** One interop case: resolves when it passed, throws what failed. */
export type InteropCase = (stubs: CaseStubs) => Promise<void>;

const zeros = (size: number) => new Uint8Array(size);
/** Asserts that `body` is `size` zero bytes (a decoded body may be a Buffer or a Uint8Array). */
function expectZeros(body: Uint8Array | undefined, size: number, what: string): void {
  assert.equal(body?.length, size, `${what}: payload size`);
  assert.ok(
    body.every((byte) => byte === 0),
    `${what}: payload of zero bytes`,
  );
}
const bodySizes = (responses: StreamingOutputCallResponse[]) => responses.map((r) => r.payload?.body.length ?? -1);
const specialMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

/** Expects `promise` to fail with `code` (and `details`, if given). */
async function expectStatus(promise: Promise<unknown>, code: StatusCode, details?: string): Promise<RpcError> {
  const error = await promise.then(
    () => assert.fail(`expected ${statusCodeName(code)}, got OK`),
    (e: unknown) => e,
  );
  if (!(error instanceof RpcError)) throw error;
  assert.equal(statusCodeName(error.code()), statusCodeName(code), `status (details: ${JSON.stringify(error.details())})`);
  if (details !== undefined) assert.equal(error.details(), details, "status message");
  return error;
}

/** The probe of the compression cases: a server that accepts it cannot check request compression. */
async function expectCompressionProbeRejected(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => assert.fail("server accepted an uncompressed request that expected compression (expect_compressed not checked)"),
    (e: unknown) => e,
  );
  if (!(error instanceof RpcError) || error.code() !== StatusCode.INVALID_ARGUMENT) throw error;
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** Resolves when `signal` aborts: the request stream of a call that is cancelled before it sends. */
async function* idleUntil(signal: AbortSignal): AsyncGenerator<never> {
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

function echoMetadata(): Metadata {
  return new Metadata([
    [echoInitialKey, "test_initial_metadata_value"],
    [echoTrailingKey, new Uint8Array([0xab, 0xab, 0xab])],
  ]);
}

async function expectEchoedMetadata(call: { initialMetadata(): Promise<Metadata>; trailingMetadata(): Promise<Metadata> }) {
  assert.equal((await call.initialMetadata()).get(echoInitialKey), "test_initial_metadata_value", "echoed initial metadata");
  const trailing = (await call.trailingMetadata()).get(echoTrailingKey);
  assert.deepEqual(trailing && Buffer.from(trailing), Buffer.from([0xab, 0xab, 0xab]), "echoed trailing metadata");
}

/** The interop spec's request sizes of client_streaming and ping_pong, in order. */
export const streamingRequestSizes = [27182, 8, 1828, 45904] as const;
/** The interop spec's response sizes of server_streaming and ping_pong, in order. */
export const streamingResponseSizes = [31415, 9, 2653, 58979] as const;

const largeRequest = { responseSize: 314159, payload: { body: zeros(271828) } };

/**
 * Every case of the gRPC interop descriptions that needs no credentials beyond TLS, with the
 * assertions the descriptions give, through tsgrpc's public client API only.
 *
 * Where grpc-js's client API hides a fact a case asks for, the case checks what it can and says so
 * in its comment: the compressed flag of received messages is not visible (server_compressed_*).
 */
export const interopCases = {
  async empty_unary({ test }) {
    const response = await test.EmptyCall({});
    assert.equal(toBinary(EmptySchema, response).length, 0, "empty response");
  },

  async large_unary({ test }) {
    const response = await test.UnaryCall(largeRequest);
    expectZeros(response.payload?.body, 314159, "response");
  },

  async client_compressed_unary({ test }) {
    await expectCompressionProbeRejected(test.UnaryCall({ ...largeRequest, expectCompressed: { value: true } }));
    const compressed = await test.UnaryCall({ ...largeRequest, expectCompressed: { value: true } }, { compression: Compression.Gzip });
    assert.equal(compressed.payload?.body.length, 314159, "compressed request: response size");
    const plain = await test.UnaryCall({ ...largeRequest, expectCompressed: { value: false } });
    assert.equal(plain.payload?.body.length, 314159, "uncompressed request: response size");
  },

  // The compressed flag of a received message is not visible through grpc-js's client: sizes only.
  async server_compressed_unary({ test }) {
    for (const value of [true, false]) {
      const response = await test.UnaryCall({ ...largeRequest, responseCompressed: { value } });
      expectZeros(response.payload?.body, 314159, `response_compressed=${value}`);
    }
  },

  async client_streaming({ test }) {
    const response = await test.StreamingInputCall(streamingRequestSizes.map((size) => ({ payload: { body: zeros(size) } })));
    assert.equal(response.aggregatedPayloadSize, 74922, "aggregated payload size");
  },

  // The call compresses; its second message is written with noCompress, and a C-core server checks
  // each message's flag against its expect_compressed.
  async client_compressed_streaming({ test }) {
    await expectCompressionProbeRejected(test.StreamingInputCall([{ payload: { body: zeros(27182) }, expectCompressed: { value: true } }]));
    const response = await test.StreamingInputCall(
      [
        { payload: { body: zeros(27182) }, expectCompressed: { value: true } },
        withWriteOptions({ payload: { body: zeros(45904) }, expectCompressed: { value: false } }, { noCompress: true }),
      ],
      { compression: Compression.Gzip },
    );
    assert.equal(response.aggregatedPayloadSize, 73086, "aggregated payload size");
  },

  async server_streaming({ test }) {
    const responses = await collect(test.StreamingOutputCall({ responseParameters: streamingResponseSizes.map((size) => ({ size })) }));
    assert.deepEqual(bodySizes(responses), streamingResponseSizes, "response sizes in order");
  },

  // As server_compressed_unary: sizes only.
  async server_compressed_streaming({ test }) {
    const responseParameters = [
      { size: 31415, compressed: { value: true } },
      { size: 92653, compressed: { value: false } },
    ];
    const responses = await collect(test.StreamingOutputCall({ responseParameters }));
    assert.deepEqual(bodySizes(responses), [31415, 92653], "response sizes in order");
  },

  async ping_pong({ test }) {
    const call = test.FullDuplexCall();
    const responses = call[Symbol.asyncIterator]();
    try {
      for (const [i, responseSize] of streamingResponseSizes.entries()) {
        const requestSize = streamingRequestSizes[i] as number;
        await call.write({ responseParameters: [{ size: responseSize }], payload: { body: zeros(requestSize) } });
        const next = await responses.next();
        assert.equal(next.done, false, "a response per request");
        assert.equal(next.value?.payload?.body.length, responseSize, "response size");
      }
      call.doneWriting();
      assert.equal((await responses.next()).done, true, "no more responses after half-close");
    } finally {
      call.cancel();
    }
  },

  async empty_stream({ test }) {
    const call = test.FullDuplexCall([]);
    assert.deepEqual(await collect(call), [], "zero responses");
    assert.equal(await call.code(), StatusCode.OK);
  },

  async timeout_on_sleeping_server({ test }) {
    const call = test.FullDuplexCall({ timeout: 0.001 });
    call.write({ payload: { body: zeros(27182) } }).catch(() => {});
    await expectStatus(collect(call), StatusCode.DEADLINE_EXCEEDED);
  },

  async cancel_after_begin({ test }) {
    const controller = new AbortController();
    const result = test.StreamingInputCall(idleUntil(controller.signal), { signal: controller.signal });
    controller.abort();
    await expectStatus(result, StatusCode.CANCELLED);
  },

  async cancel_after_first_response({ test }) {
    const call = test.FullDuplexCall();
    const responses = call[Symbol.asyncIterator]();
    await call.write({ responseParameters: [{ size: 31415 }], payload: { body: zeros(27182) } });
    assert.equal((await responses.next()).value?.payload?.body.length, 31415, "first response size");
    call.cancel();
    assert.equal(statusCodeName(await call.code()), "CANCELLED");
    await expectStatus(responses.next(), StatusCode.CANCELLED);
  },

  async custom_metadata({ test }) {
    const [response, call] = await test.UnaryCall.withCall(largeRequest, { metadata: echoMetadata() });
    assert.equal(response.payload?.body.length, 314159, "unary response size");
    await expectEchoedMetadata(call);

    const stream = test.FullDuplexCall([{ responseParameters: [{ size: 314159 }], payload: { body: zeros(271828) } }], {
      metadata: echoMetadata(),
    });
    assert.deepEqual(bodySizes(await collect(stream)), [314159], "streamed response size");
    await expectEchoedMetadata(stream);
  },

  async status_code_and_message({ test }) {
    const responseStatus = { code: 2, message: "test status message" };
    await expectStatus(test.UnaryCall({ responseStatus }), StatusCode.UNKNOWN, responseStatus.message);
    await expectStatus(collect(test.FullDuplexCall([{ responseStatus }])), StatusCode.UNKNOWN, responseStatus.message);
  },

  async special_status_message({ test }) {
    const responseStatus = { code: 2, message: specialMessage };
    await expectStatus(test.UnaryCall({ responseStatus }), StatusCode.UNKNOWN, specialMessage);
  },

  async unimplemented_method({ test }) {
    await expectStatus(test.UnimplementedCall({}), StatusCode.UNIMPLEMENTED);
  },

  async unimplemented_service({ unimplemented }) {
    await expectStatus(unimplemented.UnimplementedCall({}), StatusCode.UNIMPLEMENTED);
  },
} satisfies Record<string, InteropCase>;

/** The name of an interop case. */
export type CaseName = keyof typeof interopCases;

/** Every case, in the order of the interop descriptions. */
export const caseNames = Object.keys(interopCases) as CaseName[];

/** The outcome of one case. */
export interface CaseResult {
  name: CaseName;
  passed: boolean;
  /** Why it failed (the first failed assertion). */
  error?: string;
}

/** Runs `names` one after another on `channel`, calling `report` as each ends. */
export async function runCases(
  channel: Channel,
  names: readonly CaseName[],
  report: (result: CaseResult) => void = () => {},
): Promise<CaseResult[]> {
  const stubs = { test: new TestServiceStub(channel), unimplemented: new UnimplementedServiceStub(channel) };
  const results: CaseResult[] = [];
  for (const name of names) {
    let result: CaseResult;
    try {
      await interopCases[name](stubs);
      result = { name, passed: true };
    } catch (error) {
      result = { name, passed: false, error: firstLine(error) };
    }
    results.push(result);
    report(result);
  }
  return results;
}

/** `--test_case` as the interop clients take it: a name, a comma list, or `all`. */
export function parseCaseNames(spec: string): CaseName[] {
  if (spec === "all") return [...caseNames];
  const names = spec
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(name in interopCases));
  if (unknown.length > 0) throw new Error(`unknown test case ${unknown.join(", ")}; known: ${caseNames.join(", ")}, all`);
  return names as CaseName[];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
