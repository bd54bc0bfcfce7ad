// A CommonJS consumer (module nodenext in a "type": "commonjs" package, verbatimModuleSyntax) of
// the js_import_style=legacy_commonjs golden files, compiled and run by compile.test.ts.
import runtime = require("@tsgrpc/runtime");
import echo = require("./golden/echo/echo_grpc.js");

import type { EchoRequest } from "./golden/echo/echo_pb.js";

async function main(): Promise<void> {
  // The shared round trip is an ES module; CommonJS loads it with a dynamic import.
  const { echoBehaviour, echoRoundTrip } = await import("../echo-round-trip.js");

  class Echo extends echo.EchoServicer {
    override Unary(request: EchoRequest) {
      return echoBehaviour.unary(request);
    }
    override ServerStream(request: EchoRequest) {
      return echoBehaviour.serverStream(request);
    }
    override ClientStream(requests: AsyncIterable<EchoRequest>) {
      return echoBehaviour.clientStream(requests);
    }
    override Bidi(requests: AsyncIterable<EchoRequest>) {
      return echoBehaviour.bidi(requests);
    }
  }

  await echoRoundTrip(
    "legacy_commonjs",
    runtime,
    (s) => echo.addEchoServicerToServer(new Echo(), s),
    (c) => new echo.EchoStub(c),
  );
  console.log("cjs consumer: legacy_commonjs answered");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
