// A reference interop client in plain @grpc/grpc-js + @grpc/proto-loader, without tsgrpc code: the
// peer our server is checked against. Same cases and assertions as ../interop-cases.ts, in grpc-js's
// own API (compression per channel, as grpc-js offers it).
import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { type CaseName, type CaseResult, streamingRequestSizes, streamingResponseSizes } from "../interop-cases.js";
import { loadTesting } from "./load-protos.js";

// biome-ignore lint/suspicious/noExplicitAny: proto-loader clients and messages are untyped
type Any = any;

interface Clients {
  test: Any;
  gzip: Any;
  unimplemented: Any;
}

const zeros = (size: number) => Buffer.alloc(size);
const large = { response_size: 314159, payload: { body: zeros(271828) } };
const special = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

function unary(client: Any, method: string, request: object, metadata = new grpc.Metadata(), options: grpc.CallOptions = {}) {
  return new Promise<Any>((resolve, reject) => {
    client[method](request, metadata, options, (error: grpc.ServiceError | null, response: Any) =>
      error ? reject(error) : resolve(response),
    );
  });
}

function clientStream(client: Any, requests: object[], options: grpc.CallOptions = {}) {
  return new Promise<Any>((resolve, reject) => {
    const call = client.StreamingInputCall(options, (error: grpc.ServiceError | null, response: Any) =>
      error ? reject(error) : resolve(response),
    );
    for (const request of requests) call.write(request);
    call.end();
  });
}

function collect(stream: grpc.ClientReadableStream<Any>): Promise<Any[]> {
  return new Promise((resolve, reject) => {
    const out: Any[] = [];
    stream.on("data", (message) => out.push(message));
    stream.on("error", reject);
    stream.on("end", () => resolve(out));
  });
}

async function expectCode(promise: Promise<unknown>, code: grpc.status, details?: string): Promise<void> {
  const error = (await promise.then(
    () => assert.fail(`expected ${grpc.status[code]}, got OK`),
    (e: unknown) => e,
  )) as grpc.ServiceError;
  if (error.code === undefined) throw error;
  assert.equal(grpc.status[error.code], grpc.status[code], `status (details: ${JSON.stringify(error.details)})`);
  if (details !== undefined) assert.equal(error.details, details, "status message");
}

async function expectProbeRejected(promise: Promise<unknown>): Promise<void> {
  const error = (await promise.then(
    () => assert.fail("server accepted an uncompressed request that expected compression (expect_compressed not checked)"),
    (e: unknown) => e,
  )) as grpc.ServiceError;
  if (error.code !== grpc.status.INVALID_ARGUMENT) throw error;
}

function echoMetadata(): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set("x-grpc-test-echo-initial", "test_initial_metadata_value");
  md.set("x-grpc-test-echo-trailing-bin", Buffer.from([0xab, 0xab, 0xab]));
  return md;
}

function checkEchoed(initial: grpc.Metadata, trailing: grpc.Metadata): void {
  assert.equal(initial.get("x-grpc-test-echo-initial")[0], "test_initial_metadata_value", "echoed initial metadata");
  assert.deepEqual(trailing.get("x-grpc-test-echo-trailing-bin")[0], Buffer.from([0xab, 0xab, 0xab]), "echoed trailing metadata");
}

const sizes = (responses: Any[]) => responses.map((r) => r.payload?.body.length ?? -1);

const cases: Record<CaseName, (c: Clients) => Promise<void>> = {
  async empty_unary({ test }) {
    assert.deepEqual(await unary(test, "EmptyCall", {}), {});
  },
  async large_unary({ test }) {
    assert.deepEqual((await unary(test, "UnaryCall", large)).payload.body, zeros(314159));
  },
  async client_compressed_unary({ test, gzip }) {
    await expectProbeRejected(unary(test, "UnaryCall", { ...large, expect_compressed: { value: true } }));
    assert.equal((await unary(gzip, "UnaryCall", { ...large, expect_compressed: { value: true } })).payload.body.length, 314159);
    assert.equal((await unary(test, "UnaryCall", { ...large, expect_compressed: { value: false } })).payload.body.length, 314159);
  },
  async server_compressed_unary({ test }) {
    for (const value of [true, false]) {
      assert.equal((await unary(test, "UnaryCall", { ...large, response_compressed: { value } })).payload.body.length, 314159);
    }
  },
  async client_streaming({ test }) {
    const requests = streamingRequestSizes.map((size) => ({ payload: { body: zeros(size) } }));
    assert.equal((await clientStream(test, requests)).aggregated_payload_size, 74922);
  },
  async client_compressed_streaming({ test, gzip }) {
    await expectProbeRejected(clientStream(test, [{ payload: { body: zeros(27182) }, expect_compressed: { value: true } }]));
    const requests = [{ payload: { body: zeros(27182) }, expect_compressed: { value: true } }, { payload: { body: zeros(45904) } }];
    assert.equal((await clientStream(gzip, requests)).aggregated_payload_size, 73086);
  },
  async server_streaming({ test }) {
    const responses = await collect(test.StreamingOutputCall({ response_parameters: streamingResponseSizes.map((size) => ({ size })) }));
    assert.deepEqual(sizes(responses), streamingResponseSizes);
  },
  async server_compressed_streaming({ test }) {
    const response_parameters = [
      { size: 31415, compressed: { value: true } },
      { size: 92653, compressed: { value: false } },
    ];
    assert.deepEqual(sizes(await collect(test.StreamingOutputCall({ response_parameters }))), [31415, 92653]);
  },
  async ping_pong({ test }) {
    const call = test.FullDuplexCall();
    const received: Any[] = [];
    let wake = () => {};
    call.on("data", (message: Any) => {
      received.push(message);
      wake();
    });
    const ended = collectEnd(call);
    for (const [i, responseSize] of streamingResponseSizes.entries()) {
      const requestSize = streamingRequestSizes[i] as number;
      const before = received.length;
      call.write({ response_parameters: [{ size: responseSize }], payload: { body: zeros(requestSize) } });
      while (received.length === before) await new Promise<void>((resolve) => (wake = resolve));
      assert.equal(received[before].payload.body.length, responseSize);
    }
    call.end();
    await ended;
    assert.equal(received.length, 4);
  },
  async empty_stream({ test }) {
    const call = test.FullDuplexCall();
    call.end();
    assert.deepEqual(await collect(call), []);
  },
  async timeout_on_sleeping_server({ test }) {
    const call = test.FullDuplexCall({ deadline: Date.now() + 1 });
    call.write({ payload: { body: zeros(27182) } });
    await expectCode(collect(call), grpc.status.DEADLINE_EXCEEDED);
  },
  async cancel_after_begin({ test }) {
    const result = new Promise((resolve, reject) => {
      const call = test.StreamingInputCall((error: grpc.ServiceError | null, response: Any) => (error ? reject(error) : resolve(response)));
      call.cancel();
    });
    await expectCode(result, grpc.status.CANCELLED);
  },
  async cancel_after_first_response({ test }) {
    const call = test.FullDuplexCall();
    const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
    call.on("error", () => {});
    const first = new Promise<Any>((resolve) => call.once("data", resolve));
    call.write({ response_parameters: [{ size: 31415 }], payload: { body: zeros(27182) } });
    assert.equal((await first).payload.body.length, 31415);
    call.cancel();
    assert.equal(grpc.status[(await status).code], "CANCELLED");
  },
  async custom_metadata({ test }) {
    let initial = new grpc.Metadata();
    let trailing = new grpc.Metadata();
    await new Promise<void>((resolve, reject) => {
      const call = test.UnaryCall(large, echoMetadata(), (error: grpc.ServiceError | null) => (error ? reject(error) : resolve()));
      call.on("metadata", (md: grpc.Metadata) => (initial = md));
      call.on("status", (s: grpc.StatusObject) => (trailing = s.metadata));
    });
    checkEchoed(initial, trailing);
    const stream = test.FullDuplexCall(echoMetadata());
    stream.on("metadata", (md: grpc.Metadata) => (initial = md));
    const status = new Promise<grpc.StatusObject>((resolve) => stream.on("status", resolve));
    stream.write({ response_parameters: [{ size: 314159 }], payload: { body: zeros(271828) } });
    stream.end();
    assert.deepEqual(sizes(await collect(stream)), [314159]);
    checkEchoed(initial, (await status).metadata);
  },
  async status_code_and_message({ test }) {
    const response_status = { code: 2, message: "test status message" };
    await expectCode(unary(test, "UnaryCall", { response_status }), grpc.status.UNKNOWN, response_status.message);
    const call = test.FullDuplexCall();
    call.write({ response_status });
    call.end();
    await expectCode(collect(call), grpc.status.UNKNOWN, response_status.message);
  },
  async special_status_message({ test }) {
    await expectCode(unary(test, "UnaryCall", { response_status: { code: 2, message: special } }), grpc.status.UNKNOWN, special);
  },
  async unimplemented_method({ test }) {
    await expectCode(unary(test, "UnimplementedCall", {}), grpc.status.UNIMPLEMENTED);
  },
  async unimplemented_service({ unimplemented }) {
    await expectCode(unary(unimplemented, "UnimplementedCall", {}), grpc.status.UNIMPLEMENTED);
  },
};

function collectEnd(call: grpc.ClientDuplexStream<Any, Any>): Promise<void> {
  return new Promise((resolve, reject) => {
    call.on("end", resolve);
    call.on("error", reject);
  });
}

/** Runs `names` with the reference client against the plaintext server at `target`. */
export async function runReferenceCases(target: string, protoDir: string, names: readonly CaseName[]): Promise<CaseResult[]> {
  const testing = loadTesting(protoDir);
  const insecure = grpc.credentials.createInsecure();
  const clients: Clients = {
    test: new testing.TestService(target, insecure),
    gzip: new testing.TestService(target, insecure, { "grpc.default_compression_algorithm": grpc.compressionAlgorithms.gzip }),
    unimplemented: new testing.UnimplementedService(target, insecure),
  };
  const results: CaseResult[] = [];
  try {
    for (const name of names) {
      try {
        await cases[name](clients);
        results.push({ name, passed: true });
      } catch (error) {
        results.push({ name, passed: false, error: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" });
      }
    }
  } finally {
    for (const client of Object.values(clients)) client.close();
  }
  return results;
}
