/**
 * A benchmark child process, forked by the orchestrator: `worker.js server <module> <export>`
 * serves the implementation on 127.0.0.1 and reports its port, send count and peak RSS;
 * `worker.js client <module> <export> <port>` runs workloads on request. Messages go over IPC.
 */
import { pathToFileURL } from "node:url";
import type { BenchImpl } from "./impl.js";
import { runCodec, runStream, runUnary } from "./workloads.js";

/** A request to a worker. */
export type WorkerRequest =
  | { id: number; kind: "stats" }
  | { id: number; kind: "stop" }
  | { id: number; kind: "unary"; concurrency: number; durationMs: number; warmupMs: number }
  | { id: number; kind: "serverStream" | "clientStream" | "bidi"; count: number }
  | { id: number; kind: "slowRead"; count: number; durationMs: number; readIntervalMs: number }
  | { id: number; kind: "codec"; durationMs: number };

/** A worker's answer to the request with the same id. */
export type WorkerReply = { id: number; result: unknown } | { id: number; error: string };

const [role, modulePath, exportName, port] = process.argv.slice(2);
// biome-ignore lint: the module is CJS (anchors) or ESM (ours); both expose the export by name.
const loaded: any = await import(pathToFileURL(modulePath as string).href);
const impl: BenchImpl = loaded[exportName as string] ?? loaded.default?.[exportName as string];
const send = (reply: WorkerReply | { ready: number }) => process.send?.(reply);

if (role === "server") {
  const srv = await impl.startServer();
  process.on("message", async (request: WorkerRequest) => {
    if (request.kind === "stop") {
      await Promise.race([srv.stop(), new Promise((resolve) => setTimeout(resolve, 2000))]);
      send({ id: request.id, result: null });
      process.exit(0);
    }
    const usage = process.resourceUsage();
    send({ id: request.id, result: { sent: srv.sent(), maxRssKb: usage.maxRSS, rssKb: Math.round(process.memoryUsage.rss() / 1024) } });
  });
  send({ ready: srv.port });
} else {
  const client = await impl.connect(Number(port));
  process.on("message", async (request: WorkerRequest) => {
    try {
      send({ id: request.id, result: await run(request) });
    } catch (error) {
      send({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    if (request.kind === "stop") {
      client.close();
      process.exit(0);
    }
  });
  send({ ready: 0 });

  async function run(request: WorkerRequest): Promise<unknown> {
    switch (request.kind) {
      case "unary":
        return runUnary(client, request.concurrency, request.durationMs, request.warmupMs);
      case "serverStream":
        return runStream((count) => client.serverStream(count), request.count);
      case "clientStream":
        return runStream((count) => client.clientStream(count), request.count);
      case "bidi":
        return runStream((count) => client.bidi(count), request.count);
      case "slowRead":
        return client.slowRead(request.count, request.durationMs, request.readIntervalMs);
      case "codec":
        return runCodec(impl.codec, request.durationMs);
      default:
        return null;
    }
  }
}
