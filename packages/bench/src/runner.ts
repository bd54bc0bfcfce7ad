/**
 * Runs the runtime workloads: every measurement gets a fresh server process and a fresh client
 * process of one implementation, and the implementations take turns (interleaved rounds).
 */
import { Worker, type WorkerOptions } from "./child.js";
import type { RunConfig } from "./config.js";
import type { ImplRow, Metric, Section } from "./report.js";
import type { ServerStats } from "./worker.js";
import { type StreamResult, type UnaryResult, youngCalls } from "./workloads.js";

/** An implementation the runner can fork: its module (ESM or CJS) and export name. */
export interface RunnableImpl extends ImplRow {
  modulePath: string;
  exportName: string;
  /** Only measured in the slow-consumer workload (the naive counter-example). */
  slowConsumerOnly?: boolean;
  /** Only measured in the unary workloads (a variant that differs only there). */
  unaryOnly?: boolean;
  /** Workloads that failed for this implementation (the others still count). */
  failures?: string[];
}

/** What every workload needs besides the implementations. */
export interface RunContext {
  config: RunConfig;
  log: (line: string) => void;
  /** How workers are forked (which node). */
  worker: WorkerOptions;
  /** `getconf CLK_TCK`: the unit of the server CPU times in /proc/<pid>/stat. */
  ticksPerSecond: number;
  /** Node versions the workers reported, collected for the report. */
  nodes: Set<string>;
}

export type Rounds = Record<string, number[]>;

export function push(rounds: Rounds, id: string, value: number): void {
  const list = rounds[id] ?? [];
  list.push(value);
  rounds[id] = list;
}

/** Records a failure of `impl` in one workload instead of aborting the run. */
export function fail(impl: RunnableImpl, what: string, error: unknown): void {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  const failure = `${impl.label}, ${what}: ${reason}`;
  if (!impl.failures?.includes(failure)) (impl.failures ??= []).push(failure);
  console.error(`bench: ${failure}`);
}

/** A server process and a client process connected to it. */
export interface Pair {
  server: Worker;
  client: Worker;
  stop(): Promise<void>;
}

/** Starts a fresh server of `impl`, then a client that samples that server's CPU time. */
export async function startPair(impl: RunnableImpl, ctx: RunContext): Promise<Pair> {
  const server = new Worker("server", impl.modulePath, impl.exportName, [], ctx.worker);
  let client: Worker | undefined;
  try {
    const port = await server.ready;
    client = new Worker("client", impl.modulePath, impl.exportName, [port, server.pid, ctx.ticksPerSecond], ctx.worker);
    await client.ready;
    ctx.nodes.add(server.node).add(client.node);
  } catch (error) {
    await Promise.all([client?.stop(), server.stop()]);
    throw error;
  }
  const started = client;
  return {
    server,
    client: started,
    // The client first: the server's graceful stop then has no connection to wait for.
    stop: async () => {
      await started.stop();
      await server.stop();
    },
  };
}

/** Starts a pair, or marks `impl` unavailable (it is then skipped) and returns undefined. */
async function tryStartPair(impl: RunnableImpl, ctx: RunContext): Promise<Pair | undefined> {
  try {
    return await startPair(impl, ctx);
  } catch (error) {
    impl.unavailable = `could not start: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
    console.error(`bench: ${impl.label} ${impl.unavailable}`);
    return undefined;
  }
}

const cpuMetrics = (unit: "call" | "msg", server: Rounds, client: Rounds): Metric[] => [
  { title: `server CPU µs/${unit}`, rounds: server, ratioToFloor: true, digits: 1 },
  { title: `client CPU µs/${unit}`, rounds: client, ratioToFloor: true, digits: 1 },
];

/** Section ids of the unary workloads, by concurrency. */
export const unarySectionIds = { 1: "unary-c1", 64: "unary-c64" } as const;

/**
 * Unary calls at concurrency 1 and 64 (one channel): calls/s, latency, CPU per call of both
 * processes, and the server's peak RSS (fresh process per measurement, so it is this test's).
 */
export async function runUnaryWorkloads(impls: RunnableImpl[], ctx: RunContext): Promise<Section[]> {
  const { config, log } = ctx;
  const measured = { 1: unaryRounds(), 64: unaryRounds() };
  const warmup = { 1: { server: {} as Rounds, client: {} as Rounds }, 64: { server: {} as Rounds, client: {} as Rounds } };
  const young = { 1: { server: {} as Rounds, client: {} as Rounds }, 64: { server: {} as Rounds, client: {} as Rounds } };
  for (let round = 1; round <= config.rounds; round++) {
    for (const concurrency of [1, 64] as const) {
      log(`unary, concurrency ${concurrency}, round ${round}/${config.rounds}`);
      const rounds = measured[concurrency];
      for (const impl of impls.filter((i) => !i.unavailable && !i.slowConsumerOnly)) {
        const pair = await tryStartPair(impl, ctx);
        if (!pair) continue;
        try {
          const result = await pair.client.request<UnaryResult>({
            kind: "unary",
            concurrency,
            durationMs: config.unaryDurationMs,
            warmupCalls: config.unaryWarmupCalls,
          });
          const stats = await pair.server.request<ServerStats>({ kind: "stats" });
          push(rounds.calls, impl.id, result.callsPerSec);
          push(rounds.serverCpu, impl.id, result.serverCpuUs);
          push(rounds.clientCpu, impl.id, result.clientCpuUs);
          push(rounds.p50, impl.id, result.p50Ms);
          push(rounds.p99, impl.id, result.p99Ms);
          push(rounds.rss, impl.id, stats.maxRssKb / 1024);
          push(warmup[concurrency].server, impl.id, result.warmup.serverCpuUs);
          push(warmup[concurrency].client, impl.id, result.warmup.clientCpuUs);
          push(young[concurrency].server, impl.id, result.young.serverCpuUs);
          push(young[concurrency].client, impl.id, result.young.clientCpuUs);
        } catch (error) {
          fail(impl, `unary c=${concurrency}`, error);
        } finally {
          await pair.stop();
        }
      }
    }
  }
  const calls = config.unaryWarmupCalls.toLocaleString("en-US");
  const note = (concurrency: number) =>
    `${concurrency === 1 ? "One loop" : `${concurrency} loops`} calling Unary back to back on one channel (${calls} calls unmeasured, then ${config.unaryDurationMs} ms measured), fresh server and client processes per measurement. CPU per call: the server's utime + stime from /proc/<pid>/stat (${ctx.ticksPerSecond} ticks/s) and the client's \`process.cpuUsage()\`, both over the measured interval only. Server peak RSS: the server process's maxRSS at the end of the measurement.`;
  const section = (concurrency: 1 | 64): Section => {
    const rounds = measured[concurrency];
    return {
      id: unarySectionIds[concurrency],
      title: `Unary, concurrency ${concurrency}`,
      note: note(concurrency),
      metrics: [
        { title: "calls/s", rounds: rounds.calls, ratioToFloor: true },
        ...cpuMetrics("call", rounds.serverCpu, rounds.clientCpu),
        { title: "p50 ms", rounds: rounds.p50, digits: 3 },
        { title: "p99 ms", rounds: rounds.p99, digits: 3 },
        { title: "server peak RSS MiB", rounds: rounds.rss, digits: 1, deltaToFloor: true },
      ],
    };
  };
  const warmupSection: Section = {
    id: "unary-warmup",
    title: "Unary warm-up (reported, not targeted)",
    note: `CPU per call of the ${calls} unmeasured calls that start every unary measurement, in the fresh processes: V8 still runs much of each call path in its lower tiers then, so this is what a just-started server and client pay. Measured as in the unary tables; the connection's setup is in it too.`,
    metrics: ([1, 64] as const).flatMap((concurrency) => [
      { title: `c=${concurrency} server CPU µs/call`, rounds: warmup[concurrency].server, ratioToFloor: true, digits: 1 },
      { title: `c=${concurrency} client CPU µs/call`, rounds: warmup[concurrency].client, ratioToFloor: true, digits: 1 },
    ]),
  };
  const firstCalls = Math.min(youngCalls, config.unaryWarmupCalls).toLocaleString("en-US");
  const youngSection: Section = {
    id: "unary-young",
    title: "Unary, young process",
    note: `CPU per call of the first ${firstCalls} calls of every unary measurement (the start of its warm-up), in server and client processes that have served nothing before: what an autoscaled, serverless or just-deployed server pays while V8 still runs its call path in the lower tiers. The connection's setup is in it too.`,
    metrics: ([1, 64] as const).flatMap((concurrency) => [
      { title: `c=${concurrency} server CPU µs/call`, rounds: young[concurrency].server, ratioToFloor: true, digits: 1 },
      { title: `c=${concurrency} client CPU µs/call`, rounds: young[concurrency].client, ratioToFloor: true, digits: 1 },
    ]),
  };
  return [section(1), section(64), youngSection, warmupSection];
}

function unaryRounds() {
  return { calls: {} as Rounds, serverCpu: {} as Rounds, clientCpu: {} as Rounds, p50: {} as Rounds, p99: {} as Rounds, rss: {} as Rounds };
}

/** The streaming workloads and their sections. */
const streamKinds = [
  {
    kind: "serverStream",
    id: "server-stream",
    title: "Server streaming",
    rate: "msgs/s",
    count: (c: RunConfig) => c.serverStreamCount,
    what: "users on one call",
  },
  {
    kind: "clientStream",
    id: "client-stream",
    title: "Client streaming",
    rate: "msgs/s",
    count: (c: RunConfig) => c.clientStreamCount,
    what: "users on one call",
  },
  {
    kind: "bidi",
    id: "bidi",
    title: "Bidi",
    rate: "round trips/s",
    count: (c: RunConfig) => c.bidiCount,
    what: "ping-pong round trips on one call",
  },
] as const;

/**
 * Streaming (server, client, bidi) and the codec, in one fresh pair per implementation and round:
 * each streaming call is preceded by an unmeasured one carrying a quarter as many messages.
 */
export async function runStreamingWorkloads(
  impls: RunnableImpl[],
  ctx: RunContext,
  withStreams: boolean,
  withCodec: boolean,
): Promise<Section[]> {
  const { config, log } = ctx;
  const streams = streamKinds.map(() => ({ rate: {} as Rounds, serverCpu: {} as Rounds, clientCpu: {} as Rounds }));
  const codec: Rounds = {};
  for (let round = 1; round <= config.rounds; round++) {
    log(`${withStreams ? "streaming" : "codec"}, round ${round}/${config.rounds}`);
    for (const impl of impls.filter((i) => !i.unavailable && !i.slowConsumerOnly && !i.unaryOnly)) {
      const pair = await tryStartPair(impl, ctx);
      if (!pair) continue;
      try {
        if (withStreams) {
          for (const [index, stream] of streamKinds.entries()) {
            const count = stream.count(config);
            try {
              const result = await pair.client.request<StreamResult>({ kind: stream.kind, count, warmupCount: Math.ceil(count / 4) });
              const rounds = streams[index] as (typeof streams)[number];
              push(rounds.rate, impl.id, result.perSec);
              push(rounds.serverCpu, impl.id, result.serverCpuUs);
              push(rounds.clientCpu, impl.id, result.clientCpuUs);
            } catch (error) {
              fail(impl, stream.kind, error);
            }
          }
        }
        if (withCodec) {
          try {
            push(codec, impl.id, await pair.client.request<number>({ kind: "codec", durationMs: config.codecDurationMs }));
          } catch (error) {
            fail(impl, "codec", error);
          }
        }
      } finally {
        await pair.stop();
      }
    }
  }
  const sections: Section[] = [];
  if (withStreams) {
    for (const [index, stream] of streamKinds.entries()) {
      const rounds = streams[index] as (typeof streams)[number];
      sections.push({
        id: stream.id,
        title: stream.title,
        note: `${stream.count(config).toLocaleString("en-US")} ${stream.what}, after an unmeasured call with a quarter as many; fresh server and client processes per implementation and round (the three streaming workloads and the codec share them). CPU per message as in the unary tables.`,
        metrics: [
          { title: stream.rate, rounds: rounds.rate, ratioToFloor: true },
          ...cpuMetrics("msg", rounds.serverCpu, rounds.clientCpu),
        ],
      });
    }
  }
  if (withCodec) {
    sections.push({
      id: "codec",
      title: "Codec (reported, not targeted)",
      note: "Encode + decode of the sample user with each implementation's own messages, in the client process. tsgrpc's default codec is protobuf-es, floor-es's; the floor's is ts-proto.",
      metrics: [{ title: "ops/s", rounds: codec, ratioToFloor: true }],
    });
  }
  return sections;
}

/** Workload 3: a fresh server per implementation and round; a client reads 1 message/ms. */
export async function runSlowConsumer(impls: RunnableImpl[], ctx: RunContext): Promise<Section> {
  const { config, log } = ctx;
  const peak: Rounds = {};
  const ahead: Rounds = {};
  for (let round = 1; round <= config.rounds; round++) {
    log(`slow consumer, round ${round}/${config.rounds}`);
    for (const impl of impls.filter((i) => !i.unavailable && !i.unaryOnly)) {
      const pair = await tryStartPair(impl, ctx);
      if (!pair) continue;
      try {
        const read = await pair.client.request<number>({
          kind: "slowRead",
          count: config.slowConsumerCount,
          durationMs: config.slowConsumerDurationMs,
          readIntervalMs: 1,
        });
        const stats = await pair.server.request<ServerStats>({ kind: "stats" });
        push(peak, impl.id, stats.maxRssKb / 1024);
        push(ahead, impl.id, stats.sent - read);
      } catch (error) {
        fail(impl, "slow consumer", error);
      } finally {
        await pair.stop();
      }
    }
  }
  return {
    id: "slow-consumer",
    title: "Slow consumer",
    note: `The server tries to send ${config.slowConsumerCount.toLocaleString("en-US")} users on one call; the client reads one per ms for ${config.slowConsumerDurationMs} ms, then cancels. Peak RSS is the server process's maxRSS (fresh process per round). "Ahead" = users handed to the transport minus users the client read.`,
    metrics: [
      { title: "server peak RSS MiB", rounds: peak, ratioToFloor: true, digits: 1 },
      { title: "messages ahead", rounds: ahead },
    ],
  };
}

/**
 * Scale-out: tsgrpc unary calls/s at concurrency 64 with 1 and with 2 server processes behind one
 * round_robin channel (the client stays one process), interleaved rounds.
 */
export async function runScaleOut(modulePath: string, ctx: RunContext): Promise<Section> {
  const { config, log } = ctx;
  const rounds: Rounds = {};
  for (let round = 1; round <= config.rounds; round++) {
    log(`scale-out, round ${round}/${config.rounds}`);
    for (const processes of [1, 2]) {
      const servers = Array.from({ length: processes }, () => new Worker("server", modulePath, "roundRobinImpl", [], ctx.worker));
      let client: Worker | undefined;
      try {
        const ports = await Promise.all(servers.map((server) => server.ready));
        process.env.BENCH_PORTS = ports.join(",");
        // No server pid: the CPU of several servers is not sampled.
        client = new Worker("client", modulePath, "roundRobinImpl", [0, 0, ctx.ticksPerSecond], ctx.worker);
        await client.ready;
        const result = await client.request<UnaryResult>({
          kind: "unary",
          concurrency: 64,
          durationMs: config.unaryDurationMs,
          warmupCalls: config.unaryWarmupCalls,
        });
        push(rounds, `processes-${processes}`, result.callsPerSec);
      } finally {
        delete process.env.BENCH_PORTS;
        await client?.stop();
        await Promise.all(servers.map((server) => server.stop()));
      }
    }
  }
  return {
    id: "scale-out",
    title: "Scale-out",
    note: "tsgrpc unary calls/s at concurrency 64 from one client process, against 1 or 2 server processes behind one `round_robin` channel (issue #10). On 2 cores the client and the servers share the CPU, so the gain is bounded.",
    metrics: [{ title: "calls/s", rounds, ratioToFloor: true }],
  };
}

/** The rows of the scale-out section; "× floor" there is the ratio to 1 process. */
export const scaleOutRows = [
  { id: "processes-1", label: "tsgrpc, 1 server process" },
  { id: "processes-2", label: "tsgrpc, 2 server processes" },
];
