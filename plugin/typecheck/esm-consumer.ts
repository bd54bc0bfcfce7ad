// An ES module consumer of the golden files (module nodenext, the strictest options), compiled
// and then run by compile.test.ts: it type-checks the generated stubs and servicers as users
// write against them, and makes real calls through each variant.

import type { ServicerContext } from "@tsgrpc/runtime";
import * as runtime from "@tsgrpc/runtime";
import { echoBehaviour, echoRoundTrip } from "./echo-round-trip.js";
import * as camel from "./golden/camel/echo/echo_grpc.js";
import * as es from "./golden/default/echo/echo_grpc.js";
import type { EchoRequest, EchoResponse } from "./golden/default/echo/echo_pb.js";
import * as jsDts from "./golden/js-dts/echo/echo_grpc.js";
import type { EchoRequest as TsProtoEchoRequest } from "./golden/ts-proto/echo/echo.js";
import * as tsProto from "./golden/ts-proto/echo/echo_grpc.js";

class EsEcho extends es.EchoServicer {
  override Unary(request: EchoRequest) {
    return echoBehaviour.unary(request);
  }
  override ServerStream(request: EchoRequest) {
    return echoBehaviour.serverStream(request);
  }
  override ClientStream(requests: AsyncIterable<EchoRequest>) {
    return echoBehaviour.clientStream(requests);
  }
  override Bidi(requests: AsyncIterable<EchoRequest>, _context: ServicerContext) {
    return echoBehaviour.bidi(requests);
  }
}

class TsProtoEcho extends tsProto.EchoServicer {
  override Unary(request: TsProtoEchoRequest) {
    return echoBehaviour.unary(request);
  }
  override ServerStream(request: TsProtoEchoRequest) {
    return echoBehaviour.serverStream(request);
  }
  override ClientStream(requests: AsyncIterable<TsProtoEchoRequest>) {
    return echoBehaviour.clientStream(requests);
  }
  override Bidi(requests: AsyncIterable<TsProtoEchoRequest>) {
    return echoBehaviour.bidi(requests);
  }
}

// Plain objects are servicers too, and camelCase names are the only names with method_names=camel.
const camelEcho: Partial<camel.EchoServicer> = {
  unary: (request) => echoBehaviour.unary(request),
  serverStream: (request) => echoBehaviour.serverStream(request),
  clientStream: (requests) => echoBehaviour.clientStream(requests),
  bidi: (requests) => echoBehaviour.bidi(requests),
};

// The types reject what the wire would reject.
export function typeErrors(stub: es.EchoStub, tsProtoStub: tsProto.EchoStub, camelStub: camel.EchoStub): void {
  // @ts-expect-error a string field given a number
  void stub.Unary({ message: 1 });
  // @ts-expect-error an unknown field
  void tsProtoStub.Unary({ text: "x" });
  // @ts-expect-error method_names=camel has no proto-cased member
  void camelStub.Unary;
  const response: Promise<EchoResponse> = stub.Unary({});
  void response;
}

await echoRoundTrip(
  "protobuf-es",
  runtime,
  (s) => es.addEchoServicerToServer(new EsEcho(), s),
  (c) => new es.EchoStub(c),
);
await echoRoundTrip(
  "ts-proto",
  runtime,
  (s) => tsProto.addEchoServicerToServer(new TsProtoEcho(), s),
  (c) => new tsProto.EchoStub(c),
);
await echoRoundTrip(
  "js+dts",
  runtime,
  (s) => jsDts.addEchoServicerToServer(new EsEcho(), s),
  (c) => new jsDts.EchoStub(c),
);
await echoRoundTrip(
  "method_names=camel",
  runtime,
  (s) => camel.addEchoServicerToServer(camelEcho, s),
  (c) => {
    const stub = new camel.EchoStub(c);
    return { Unary: stub.unary, ServerStream: stub.serverStream, ClientStream: stub.clientStream, Bidi: stub.bidi };
  },
);
console.log("esm consumer: 4 variants answered");
