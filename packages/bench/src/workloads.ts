/** The client side of each workload, measured in the client process against a BenchClient. */
import type { BenchClient, BenchCodec } from "./impl.js";
import { quantile } from "./stats.js";

/** Result of a unary run: throughput and latency percentiles. */
export interface UnaryResult {
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** Unary calls from `concurrency` loops for `durationMs` (after `warmupMs` unmeasured). */
export async function runUnary(client: BenchClient, concurrency: number, durationMs: number, warmupMs: number): Promise<UnaryResult> {
  await loop(client, concurrency, warmupMs, []);
  const latenciesMs: number[] = [];
  const start = performance.now();
  await loop(client, concurrency, durationMs, latenciesMs);
  const elapsedMs = performance.now() - start;
  return {
    callsPerSec: (latenciesMs.length * 1000) / elapsedMs,
    p50Ms: quantile(latenciesMs, 0.5),
    p99Ms: quantile(latenciesMs, 0.99),
  };
}

async function loop(client: BenchClient, concurrency: number, durationMs: number, latenciesMs: number[]): Promise<void> {
  const end = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      await client.unary();
      latenciesMs.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Messages (or round trips) per second of one streaming call carrying `count`. */
export async function runStream(run: (count: number) => Promise<number>, count: number): Promise<number> {
  const start = performance.now();
  const done = await run(count);
  const elapsedMs = performance.now() - start;
  if (done !== count) throw new Error(`expected ${count} messages, got ${done}`);
  return (count * 1000) / elapsedMs;
}

/** Encode+decode round trips per second of the sample user for `durationMs`. */
export function runCodec(codec: BenchCodec, durationMs: number): number {
  const batch = 1000;
  for (let i = 0; i < batch * 10; i++) codec.roundTrip();
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < batch; i++) codec.roundTrip();
    ops += batch;
  }
  return (ops * 1000) / (performance.now() - start);
}
