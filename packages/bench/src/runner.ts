/** Runs the runtime workloads: one server process per implementation, clients in their own, interleaved rounds. */
import { Worker } from "./child.js";
import type { RunConfig } from "./config.js";
import type { ImplRow, Section } from "./report.js";
import type { UnaryResult } from "./workloads.js";

/** An implementation the runner can fork: its module (ESM or CJS) and export name. */
export interface RunnableImpl extends ImplRow {
  modulePath: string;
  exportName: string;
  /** Only measured in the slow-consumer workload (the naive counter-example). */
  slowConsumerOnly?: boolean;
  /** Workloads that failed for this implementation (the others still count). */
  failures?: string[];
}

type Rounds = Record<string, number[]>;

function push(rounds: Rounds, id: string, value: number): void {
  const list = rounds[id] ?? [];
  list.push(value);
  rounds[id] = list;
}

/** Records a failure of `impl` in one workload instead of aborting the run. */
function fail(impl: RunnableImpl, what: string, error: unknown): void {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  const failure = `${impl.label}, ${what}: ${reason}`;
  if (!impl.failures?.includes(failure)) (impl.failures ??= []).push(failure);
  console.error(`bench: ${failure}`);
}

/** Runs workloads 1–4 for `impls` and returns their sections. */
export async function runRuntimeWorkloads(impls: RunnableImpl[], config: RunConfig, log: (line: string) => void): Promise<Section[]> {
  const live = impls.filter((impl) => !impl.unavailable && !impl.slowConsumerOnly);
  const unary = { c1: [{}, {}, {}] as Rounds[], c64: [{}, {}, {}] as Rounds[] };
  const streams = { server: {} as Rounds, client: {} as Rounds, bidi: {} as Rounds };
  const codec: Rounds = {};

  const pairs = new Map<string, { server: Worker; client: Worker }>();
  for (const impl of live) {
    try {
      const server = new Worker("server", impl.modulePath, impl.exportName);
      const port = await server.ready;
      const client = new Worker("client", impl.modulePath, impl.exportName, port);
      await client.ready;
      pairs.set(impl.id, { server, client });
    } catch (error) {
      impl.unavailable = `could not start: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
    }
  }

  for (let round = 1; round <= config.rounds; round++) {
    log(`round ${round}/${config.rounds}`);
    for (const concurrency of [1, 64] as const) {
      for (const impl of live) {
        const pair = pairs.get(impl.id);
        if (!pair) continue;
        try {
          const result = await pair.client.request<UnaryResult>({
            kind: "unary",
            concurrency,
            durationMs: config.unaryDurationMs,
            warmupMs: config.unaryWarmupMs,
          });
          const target = concurrency === 1 ? unary.c1 : unary.c64;
          push(target[0] as Rounds, impl.id, result.callsPerSec);
          push(target[1] as Rounds, impl.id, result.p50Ms);
          push(target[2] as Rounds, impl.id, result.p99Ms);
        } catch (error) {
          fail(impl, `unary c=${concurrency}`, error);
        }
      }
    }
    const streamKinds = [
      ["serverStream", config.serverStreamCount, streams.server],
      ["clientStream", config.clientStreamCount, streams.client],
      ["bidi", config.bidiCount, streams.bidi],
    ] as const;
    for (const [kind, count, rounds] of streamKinds) {
      for (const impl of live) {
        const pair = pairs.get(impl.id);
        if (!pair) continue;
        try {
          push(rounds, impl.id, await pair.client.request<number>({ kind, count }));
        } catch (error) {
          fail(impl, kind, error);
        }
      }
    }
    for (const impl of live) {
      const pair = pairs.get(impl.id);
      if (!pair) continue;
      try {
        push(codec, impl.id, await pair.client.request<number>({ kind: "codec", durationMs: config.codecDurationMs }));
      } catch (error) {
        fail(impl, "codec", error);
      }
    }
  }
  await Promise.all([...pairs.values()].flatMap(({ server, client }) => [client.stop(), server.stop()]));

  const unarySection = (title: string, [calls, p50, p99]: Rounds[]): Section => ({
    title,
    metrics: [
      { title: "calls/s", rounds: calls as Rounds, ratioToFloor: true },
      { title: "p50 ms", rounds: p50 as Rounds, digits: 3 },
      { title: "p99 ms", rounds: p99 as Rounds, digits: 3 },
    ],
  });
  return [
    unarySection("Unary, concurrency 1", unary.c1),
    unarySection("Unary, concurrency 64", unary.c64),
    {
      title: "Streaming",
      note: `Server streaming: ${config.serverStreamCount.toLocaleString("en-US")} users on one call. Client streaming: ${config.clientStreamCount.toLocaleString("en-US")} users on one call. Bidi: ${config.bidiCount.toLocaleString("en-US")} ping-pong round trips on one call.`,
      metrics: [
        { title: "server-stream msgs/s", rounds: streams.server, ratioToFloor: true },
        { title: "client-stream msgs/s", rounds: streams.client, ratioToFloor: true },
        { title: "bidi round trips/s", rounds: streams.bidi, ratioToFloor: true },
      ],
    },
    {
      title: "Codec (reported, not targeted)",
      note: "Encode + decode of the sample user with each implementation's own messages, in the client process. tsgrpc's default codec is protobuf-es, the floor's.",
      metrics: [{ title: "ops/s", rounds: codec, ratioToFloor: true }],
    },
  ];
}

/** Workload 3: a fresh server per implementation and round; a client reads 1 message/ms. */
export async function runSlowConsumer(impls: RunnableImpl[], config: RunConfig, log: (line: string) => void): Promise<Section> {
  const peak: Rounds = {};
  const ahead: Rounds = {};
  const live = impls.filter((impl) => !impl.unavailable);
  for (let round = 1; round <= config.rounds; round++) {
    log(`slow consumer round ${round}/${config.rounds}`);
    for (const impl of live) {
      if (impl.unavailable) continue;
      const server = new Worker("server", impl.modulePath, impl.exportName);
      let client: Worker | undefined;
      try {
        const port = await server.ready;
        client = new Worker("client", impl.modulePath, impl.exportName, port);
        await client.ready;
        const read = await client.request<number>({
          kind: "slowRead",
          count: config.slowConsumerCount,
          durationMs: config.slowConsumerDurationMs,
          readIntervalMs: 1,
        });
        const stats = await server.request<{ sent: number; maxRssKb: number }>({ kind: "stats" });
        push(peak, impl.id, stats.maxRssKb / 1024);
        push(ahead, impl.id, stats.sent - read);
      } catch (error) {
        fail(impl, "slow consumer", error);
      } finally {
        await client?.stop();
        await server.stop();
      }
    }
  }
  return {
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
export async function runScaleOut(modulePath: string, config: RunConfig, log: (line: string) => void): Promise<Section> {
  const rounds: Rounds = {};
  for (let round = 1; round <= config.rounds; round++) {
    log(`scale-out round ${round}/${config.rounds}`);
    for (const processes of [1, 2]) {
      const servers = Array.from({ length: processes }, () => new Worker("server", modulePath, "roundRobinImpl"));
      let client: Worker | undefined;
      try {
        const ports = await Promise.all(servers.map((server) => server.ready));
        process.env.BENCH_PORTS = ports.join(",");
        client = new Worker("client", modulePath, "roundRobinImpl");
        await client.ready;
        const result = await client.request<UnaryResult>({
          kind: "unary",
          concurrency: 64,
          durationMs: config.unaryDurationMs,
          warmupMs: config.unaryWarmupMs,
        });
        push(rounds, `processes-${processes}`, result.callsPerSec);
      } finally {
        delete process.env.BENCH_PORTS;
        await Promise.all([client?.stop(), ...servers.map((server) => server.stop())]);
      }
    }
  }
  return {
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
