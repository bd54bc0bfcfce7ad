// A server in its own process for the backpressure test: `Flood` streams `count` messages of
// `size` bytes as fast as the transport takes them, from an async generator or a sync iterable, and
// reports over IPC how many the transport has accepted so far.
import { serverUnderTest as server } from "../../server/testdata/server-under-test.js";
import { unaryStreamRpcMethodHandler } from "../method-handlers.js";

interface FloodRequest {
  count: number;
  size: number;
  sync: boolean;
}

const encoder = new TextEncoder();
let accepted = 0;
let closed = false;

function* messages(request: FloodRequest): Generator<{ i: number; pad: string }> {
  const pad = "x".repeat(request.size);
  try {
    for (let i = 0; i < request.count; i++) {
      yield { i, pad };
      // The generator resumes only once the transport has taken the message it yielded.
      accepted = i + 1;
    }
  } finally {
    closed = true;
  }
}

async function* asyncMessages(request: FloodRequest): AsyncGenerator<{ i: number; pad: string }> {
  yield* messages(request);
}

const srv = server();
srv.addRegisteredMethodHandlers("test.Flood", {
  Flood: unaryStreamRpcMethodHandler((request: FloodRequest) => (request.sync ? messages(request) : asyncMessages(request)), {
    requestDeserializer: (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as FloodRequest,
    responseSerializer: (message) => encoder.encode(JSON.stringify(message)),
  }),
});

process.on("message", (message: string) => {
  if (message === "accepted?") process.send?.({ accepted, closed });
  if (message === "reset") {
    accepted = 0;
    closed = false;
    process.send?.({ reset: true });
  }
  if (message === "stop") void srv.stop(null).then(() => process.exit(0));
});

void (async () => {
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  process.send?.({ port });
})();
