import { Compression, RpcError, type ServicerContext, StatusCode } from "@tsgrpc/runtime";
import type { Empty } from "./gen/grpc/testing/empty_pb.js";
import {
  type EchoStatus,
  type Payload,
  PayloadType,
  type ResponseParameters,
  type SimpleRequest,
  type StreamingInputCallRequest,
  type StreamingOutputCallRequest,
} from "./gen/grpc/testing/messages_pb.js";
import { TestServiceServicer } from "./gen/grpc/testing/test_grpc.js";

/** The request header a TestService echoes back in its response headers. */
export const echoInitialKey = "x-grpc-test-echo-initial";
/** The binary request header a TestService echoes back in its trailers. */
export const echoTrailingKey = "x-grpc-test-echo-trailing-bin";

/**
 * The interop `grpc.testing.TestService`, as the gRPC interop descriptions define it, written only
 * against tsgrpc's public server API.
 *
 * Compression: `response_compressed` is passed on with `context.setCompression()` (before any
 * header goes out) and `disableNextMessageCompression()`, as a grpcio server does;
 * `expect_compressed` is checked with `context.requestCompressed()`. The node-http2 transport
 * honours both; grpc-js's server never compresses a response and cannot tell how a request arrived
 * (`requestCompressed()` is null there, so the check cannot be made; see docs/interop.md).
 * `UnimplementedCall` is left to the generated servicer, which answers UNIMPLEMENTED.
 */
export class TestService extends TestServiceServicer {
  override EmptyCall(_request: Empty, context: ServicerContext) {
    echoMetadata(context);
    return {};
  }

  override UnaryCall(request: SimpleRequest, context: ServicerContext) {
    checkCompressed(request.expectCompressed?.value, context);
    // Before the echoed headers: the algorithm goes out with the response headers.
    if (request.responseCompressed?.value) context.setCompression(Compression.Gzip);
    echoMetadata(context);
    echoStatus(request.responseStatus, context);
    return { payload: payload(request.responseType, request.responseSize) };
  }

  override CacheableUnaryCall(request: SimpleRequest, context: ServicerContext) {
    return this.UnaryCall(request, context);
  }

  override async *StreamingOutputCall(request: StreamingOutputCallRequest, context: ServicerContext) {
    // The call compresses if any response asks for it; `respond` exempts the others.
    const compressing = request.responseParameters.some((parameters) => parameters.compressed?.value);
    if (compressing) context.setCompression(Compression.Gzip);
    echoMetadata(context);
    for (const parameters of request.responseParameters) {
      yield await respond(request.responseType, parameters, context, compressing);
    }
    echoStatus(request.responseStatus, context);
  }

  override async StreamingInputCall(requests: AsyncIterable<StreamingInputCallRequest>, context: ServicerContext) {
    echoMetadata(context);
    let aggregatedPayloadSize = 0;
    for await (const request of requests) {
      checkCompressed(request.expectCompressed?.value, context);
      aggregatedPayloadSize += request.payload?.body.length ?? 0;
    }
    return { aggregatedPayloadSize };
  }

  override async *FullDuplexCall(requests: AsyncIterable<StreamingOutputCallRequest>, context: ServicerContext) {
    echoMetadata(context);
    for await (const request of requests) {
      echoStatus(request.responseStatus, context);
      for (const parameters of request.responseParameters) {
        yield await respond(request.responseType, parameters, context);
      }
    }
  }

  override async *HalfDuplexCall(requests: AsyncIterable<StreamingOutputCallRequest>, context: ServicerContext) {
    echoMetadata(context);
    const received: StreamingOutputCallRequest[] = [];
    for await (const request of requests) received.push(request);
    for (const request of received) {
      echoStatus(request.responseStatus, context);
      for (const parameters of request.responseParameters) {
        yield await respond(request.responseType, parameters, context);
      }
    }
  }
}

/** Echoes the two test headers: the initial one now, the binary one in the trailers. */
function echoMetadata(context: ServicerContext): void {
  const metadata = context.invocationMetadata();
  const initial = metadata.get(echoInitialKey);
  if (initial !== undefined) context.sendInitialMetadata([[echoInitialKey, initial]]);
  const trailing = metadata.get(echoTrailingKey);
  if (trailing !== undefined) context.setTrailingMetadata([[echoTrailingKey, trailing]]);
}

/** Ends the RPC with the status the request asks for, if it asks for one. */
function echoStatus(status: EchoStatus | undefined, context: ServicerContext): void {
  if (status && status.code !== StatusCode.OK) context.abort(status.code, status.message);
}

/** `size` zero bytes of type COMPRESSABLE; any other type is an invalid argument. */
function payload(type: PayloadType, size: number): Payload | { type: PayloadType; body: Uint8Array } {
  if (type !== PayloadType.COMPRESSABLE) {
    throw new RpcError(StatusCode.INVALID_ARGUMENT, `unsupported response type ${type}`);
  }
  if (size < 0) throw new RpcError(StatusCode.INVALID_ARGUMENT, `negative response size ${size}`);
  return { type, body: new Uint8Array(size) };
}

/** One streamed response: waits `interval_us`, then sends a payload of `size` bytes. */
async function respond(type: PayloadType, parameters: ResponseParameters, context: ServicerContext, compressing = false) {
  if (parameters.intervalUs > 0) await sleepUnlessAborted(parameters.intervalUs / 1000, context.signal);
  if (compressing && !parameters.compressed?.value) context.disableNextMessageCompression();
  return { payload: payload(type, parameters.size) };
}

/**
 * `expect_compressed`: a request that expected compression and arrived uncompressed ends the RPC
 * with INVALID_ARGUMENT. Unchecked where the transport cannot tell (grpc-js).
 */
function checkCompressed(expected: boolean | undefined, context: ServicerContext): void {
  if (expected === true && context.requestCompressed() === false) {
    context.abort(StatusCode.INVALID_ARGUMENT, "Expected a compressed request, got it uncompressed");
  }
}

/** Waits `ms` milliseconds, or less if the RPC ends first (its status is then already sent). */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
