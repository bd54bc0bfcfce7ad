// A server with the stall monitor on, in its own process, whose handler blocks the event loop:
// lets a test read, from this process's stderr, what the watchdog thread writes during the stall.
import { writeSync } from "node:fs";
import { unaryUnaryRpcMethodHandler } from "../../server/method-handlers.js";
import { serverUnderTest as server } from "../../server/testdata/server-under-test.js";

const blockMs = Number(process.argv[2] ?? "1500");
const json = {
  requestDeserializer: (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown,
  responseSerializer: (message: unknown) => new TextEncoder().encode(JSON.stringify(message)),
};

const srv = server({ stallMonitor: { thresholdMs: 100 } });
srv.addRegisteredMethodHandlers("test.Stall", {
  Block: unaryUnaryRpcMethodHandler(() => {
    const until = Date.now() + blockMs;
    while (Date.now() < until) {
      // Busy: the event loop cannot run.
    }
    writeSync(2, "child: handler unblocked\n");
    return {};
  }, json),
});
const port = await srv.addInsecurePort("127.0.0.1:0");
await srv.start();
process.on("message", (message) => {
  if (message === "stop") void srv.stop(null).then(() => process.disconnect());
});
process.send?.({ port });
