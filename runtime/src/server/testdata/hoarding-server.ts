// A server in its own process for the read-ahead test: `Ignore` never reads its request stream,
// `Slow` reads one message a second, `Ping` answers. Over IPC it reports its memory, so the test
// sees how much of what clients push the server has taken in.
import { setTimeout as sleep } from "node:timers/promises";
import { settledMemory } from "../../../../packages/test-utils/src/heap.js";
import type { ServicerContext } from "../../core/servicer-context.js";
import { serverUnderTest as server } from "../../server/testdata/server-under-test.js";
import { streamUnaryRpcMethodHandler, unaryUnaryRpcMethodHandler } from "../method-handlers.js";

const bytes = {
  requestDeserializer: (data: Uint8Array) => data,
  responseSerializer: (data: Uint8Array) => data,
};
let slowRead = 0;
// Slow handlers waiting on a read: the message they asked for is then on its way in, legitimately.
let reading = 0;
// Garbage is collected before each report (settledMemory): what is left is what the server holds.

/**
 * Whether the stream has ended, taking its next message in a frame of its own: a suspended
 * handler's frame may keep its last temporaries alive (V8 on Node 24 does), and the 4 MB message
 * the handler dropped must not count as held by the server.
 */
async function nextIsDone(iterator: AsyncIterator<Uint8Array>): Promise<boolean> {
  return (await iterator.next()).done === true;
}

const srv = server();
srv.addRegisteredMethodHandlers("test.Hoard", {
  Ignore: streamUnaryRpcMethodHandler(async (_requests: AsyncIterable<Uint8Array>, context: ServicerContext) => {
    await sleep(60_000, undefined, { signal: context.signal }).catch(() => {});
    return new Uint8Array();
  }, bytes),
  Slow: streamUnaryRpcMethodHandler(async (requests: AsyncIterable<Uint8Array>, context: ServicerContext) => {
    // Not `for await`: its loop variable would keep each 4 MB message alive through the sleep.
    const iterator = requests[Symbol.asyncIterator]();
    for (;;) {
      reading++;
      const done = await nextIsDone(iterator);
      reading--;
      if (done) break;
      slowRead++;
      await sleep(1_000, undefined, { signal: context.signal }).catch(() => {});
    }
    return new Uint8Array();
  }, bytes),
  Ping: unaryUnaryRpcMethodHandler(async (request: Uint8Array) => request, bytes),
});
const port = await srv.addInsecurePort("127.0.0.1:0");
await srv.start();
process.send?.({ port });
process.on("message", (message) => {
  if (message === "memory?") void settledMemory().then(({ rss, arrayBuffers }) => process.send?.({ rss, arrayBuffers, slowRead, reading }));
  if (message === "stop") void srv.stop(null).then(() => process.exit(0));
});
