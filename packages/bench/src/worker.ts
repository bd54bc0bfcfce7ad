/**
 * A benchmark child process, forked by the orchestrator: `worker.js server <module> <export>`
 * serves the implementation on 127.0.0.1 and reports its port, send count and peak RSS;
 * `worker.js client <module> <export> <port> <server pid> <clock ticks/s>` runs workloads on
 * request, sampling the server's CPU time (and its own) around each measured interval. Messages go
 * over IPC.
 */
import { pathToFileURL } from "node:url";
import { cpuSampler } from "./cpu.js";
import type { BenchImpl } from "./impl.js";
import { runCodec, runStream, runUnary, runUnaryCalls } from "./workloads.js";

/** A request to a worker. */
export type WorkerRequest =
  | { id: number; kind: "stats" }
  | { id: number; kind: "stop" }
  | { id: number; kind: "unary"; concurrency: number; durationMs: number; warmupCalls: number }
  | { id: number; kind: "unaryCalls"; concurrency: number; calls: number }
  | { id: number; kind: "serverStream" | "clientStream" | "bidi"; count: number; warmupCount: number }
  | { id: number; kind: "slowRead"; count: number; durationMs: number; readIntervalMs: number }
  | { id: number; kind: "codec"; durationMs: number };

/** A worker's answer to the request with the same id. */
export type WorkerReply = { id: number; result: unknown } | { id: number; error: string };

/** What a worker sends once it is ready: the server's port (0 for clients) and its Node version. */
export interface WorkerReady {
  ready: number;
  node: string;
}

/** The server's answer to `stats`. */
export interface ServerStats {
  sent: number;
  maxRssKb: number;
  rssKb: number;
}

const [role, modulePath, exportName, port, serverPid, ticksPerSecond] = process.argv.slice(2);
// biome-ignore lint: the module is CJS (anchors) or ESM (ours); both expose the export by name.
const loaded: any = await import(pathToFileURL(modulePath as string).href);
const impl: BenchImpl = loaded[exportName as string] ?? loaded.default?.[exportName as string];
const send = (reply: WorkerReply | WorkerReady) => process.send?.(reply);

if (role === "server") {
  const srv = await impl.startServer();
  process.on("message", async (request: WorkerRequest) => {
    if (request.kind === "stop") {
      await Promise.race([srv.stop(), new Promise((resolve) => setTimeout(resolve, 2000))]);
      send({ id: request.id, result: null });
      process.exit(0);
    }
    const usage = process.resourceUsage();
    const stats: ServerStats = { sent: srv.sent(), maxRssKb: usage.maxRSS, rssKb: Math.round(process.memoryUsage.rss() / 1024) };
    send({ id: request.id, result: stats });
  });
  send({ ready: srv.port, node: process.version });
} else {
  const client = await impl.connect(Number(port));
  // Scale-out runs against several servers and measures no CPU: it passes no pid.
  const sample =
    Number(serverPid) > 0 ? cpuSampler(Number(serverPid), Number(ticksPerSecond)) : () => ({ serverUs: Number.NaN, clientUs: Number.NaN });
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
  send({ ready: 0, node: process.version });

  async function run(request: WorkerRequest): Promise<unknown> {
    switch (request.kind) {
      case "unary":
        return runUnary(client, request.concurrency, request.durationMs, request.warmupCalls, sample);
      case "unaryCalls":
        return runUnaryCalls(client, request.concurrency, request.calls);
      case "serverStream":
        return runStream((count) => client.serverStream(count), request.count, request.warmupCount, sample);
      case "clientStream":
        return runStream((count) => client.clientStream(count), request.count, request.warmupCount, sample);
      case "bidi":
        return runStream((count) => client.bidi(count), request.count, request.warmupCount, sample);
      case "slowRead":
        return client.slowRead(request.count, request.durationMs, request.readIntervalMs);
      case "codec":
        return runCodec(impl.codec, request.durationMs);
      default:
        return null;
    }
  }
}
