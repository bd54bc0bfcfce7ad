// The server the attack suite attacks, in its own process so that its memory is its own: `Echo`
// answers, `Count` streams as many 100-byte messages as its request says (on the stream's
// backpressure), `Sink` never reads its requests. Over IPC it reports what its handlers have done
// and its memory after a full GC ("stats?"), and stops with a grace ({ stop: grace }), reporting
// how long that took.
import { settledMemory } from "../../../../packages/test-utils/src/heap.js";
import type { ServicerContext } from "../../core/servicer-context.js";
import { streamUnaryRpcMethodHandler, unaryStreamRpcMethodHandler, unaryUnaryRpcMethodHandler } from "../method-handlers.js";
import { serverUnderTest as server } from "./server-under-test.js";

/** What the attack suite asks the child about. */
export interface AttackServerStats {
  /** Echo calls answered. */
  handled: number;
  /** Messages Count handlers have handed to the transport. */
  sent: number;
  /** Handlers running now. */
  active: number;
  rss: number;
  heapUsed: number;
}

const bytes = { requestDeserializer: (data: Uint8Array) => data, responseSerializer: (data: Uint8Array) => data };
const stats = { handled: 0, sent: 0, active: 0 };

/** Counts the handler as active while `run` runs. */
async function counted<T>(run: () => Promise<T>): Promise<T> {
  stats.active++;
  try {
    return await run();
  } finally {
    stats.active--;
  }
}

const srv = server({ logger: null, handshakeTimeout: 1 });
srv.addRegisteredMethodHandlers("test.Attack", {
  Echo: unaryUnaryRpcMethodHandler(async (request: Uint8Array) => {
    stats.handled++;
    return request;
  }, bytes),
  Count: unaryStreamRpcMethodHandler(async function* (request: Uint8Array) {
    stats.active++;
    try {
      const count = Buffer.from(request).readUInt32BE(0);
      const message = new Uint8Array(100);
      for (let i = 0; i < count; i++) {
        stats.sent++;
        yield message;
      }
    } finally {
      stats.active--;
    }
  }, bytes),
  Sink: streamUnaryRpcMethodHandler(
    (_requests: AsyncIterable<Uint8Array>, context: ServicerContext) =>
      counted(() => new Promise<Uint8Array>((resolve) => context.signal.addEventListener("abort", () => resolve(new Uint8Array())))),
    bytes,
  ),
});
const port = await srv.addInsecurePort("127.0.0.1:0");
await srv.start();
process.send?.({ port });
process.on("message", (message: "stats?" | { stop: number }) => {
  if (message === "stats?") {
    void settledMemory().then(({ rss, heapUsed }) => process.send?.({ ...stats, rss, heapUsed } satisfies AttackServerStats));
  } else {
    const started = performance.now();
    void srv.stop(message.stop).then(() => process.send?.({ stoppedMs: performance.now() - started }));
  }
});
