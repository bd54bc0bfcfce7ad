// The soak's server, in its own process: its heap and handles are the server's alone, and it runs
// on the second core while the test's client runs on the first. Every kind of RPC; a request with
// `hold` waits until its call is cancelled or past its deadline. Over IPC ("stats?") it reports how
// many handlers are running, its heap after a full GC and its active resources by type.
import { settledMemory } from "../../../../packages/test-utils/src/heap.js";
import type { ServicerContext } from "../../core/servicer-context.js";
import {
  streamStreamRpcMethodHandler,
  streamUnaryRpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "../method-handlers.js";
import { serverUnderTest as server } from "./server-under-test.js";

/** What the soak asks the child about. */
export interface SoakServerStats {
  running: number;
  heapUsed: number;
  resources: Record<string, number>;
}

/** `hold`: the handler waits until the call is cancelled or its deadline passes. */
interface Msg {
  n: number;
  hold?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const serializers = {
  requestDeserializer: (bytes: Uint8Array) => JSON.parse(decoder.decode(bytes)) as Msg,
  responseSerializer: (message: Msg) => encoder.encode(JSON.stringify(message)),
};
const streamed = 3;
let running = 0;

/** Runs `handle` counted as running; a held call waits for its end first. */
async function counted<T>(context: ServicerContext, hold: boolean | undefined, handle: () => T): Promise<T> {
  running++;
  try {
    if (hold) await ended(context);
    return handle();
  } finally {
    running--;
  }
}

function ended(context: ServicerContext): Promise<unknown> {
  return new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
}

const srv = server({ logger: null });
srv.addRegisteredMethodHandlers("test.Soak", {
  Unary: unaryUnaryRpcMethodHandler((request: Msg, context) => counted(context, request.hold, () => request), serializers),
  ServerStream: unaryStreamRpcMethodHandler(async function* (request: Msg, context) {
    running++;
    try {
      if (request.hold) await ended(context);
      for (let n = 0; n < streamed; n++) yield { n };
    } finally {
      running--;
    }
  }, serializers),
  ClientStream: streamUnaryRpcMethodHandler(async (requests: AsyncIterable<Msg>, context) => {
    const all: Msg[] = [];
    for await (const request of requests) all.push(request);
    return counted(context, all[0]?.hold, () => ({ n: all.length }));
  }, serializers),
  Bidi: streamStreamRpcMethodHandler(async function* (requests: AsyncIterable<Msg>, context) {
    running++;
    try {
      for await (const request of requests) {
        if (request.hold) await ended(context);
        yield request;
      }
    } finally {
      running--;
    }
  }, serializers),
});
const port = await srv.addInsecurePort("127.0.0.1:0");
await srv.start();
process.send?.({ port });
process.on("message", async (message: "stats?") => {
  if (message !== "stats?") return;
  const { heapUsed } = await settledMemory();
  const resources: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) resources[name] = (resources[name] ?? 0) + 1;
  process.send?.({ running, heapUsed, resources } satisfies SoakServerStats);
});
