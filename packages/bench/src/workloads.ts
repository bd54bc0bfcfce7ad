/** The client side of each workload, measured in the client process against a BenchClient. */
import { type CpuSample, cpuPerOp } from "./cpu.js";
import type { BenchClient, BenchCodec } from "./impl.js";
import { quantile } from "./stats.js";

/** CPU µs per call (or message) of the server and of the client over the measured interval. */
export interface CpuCost {
  serverCpuUs: number;
  clientCpuUs: number;
}

/** Result of a unary run: throughput, latency percentiles and CPU per call (warm-up's apart). */
export interface UnaryResult extends CpuCost {
  callsPerSec: number;
  calls: number;
  p50Ms: number;
  p99Ms: number;
  warmup: CpuCost;
  /** CPU per call of the first `youngCalls` calls of the fresh processes (the start of the warm-up). */
  young: CpuCost;
}

/** The calls a young process is measured over: the first of every unary measurement (issue #29). */
export const youngCalls = 1000;

/** Result of a streaming run: messages (or round trips) per second and CPU per message. */
export interface StreamResult extends CpuCost {
  perSec: number;
}

/** Samples both processes' CPU time; the workloads call it right around the measured interval. */
export type CpuSampler = () => CpuSample;

/**
 * Unary calls from `concurrency` loops for `durationMs`, after `warmupCalls` calls whose CPU cost
 * is reported apart.
 */
export async function runUnary(
  client: BenchClient,
  concurrency: number,
  durationMs: number,
  warmupCalls: number,
  sample: CpuSampler,
): Promise<UnaryResult> {
  const cold = sample();
  const young = await runUnaryCalls(client, concurrency, Math.min(youngCalls, warmupCalls));
  const grown = sample();
  const warmed = young + (warmupCalls > young ? await runUnaryCalls(client, concurrency, warmupCalls - young) : 0);
  const warm = sample();
  const latenciesMs: number[] = [];
  const before = sample();
  const start = performance.now();
  await loop(client, concurrency, durationMs, latenciesMs);
  const elapsedMs = performance.now() - start;
  const after = sample();
  const calls = latenciesMs.length;
  return {
    callsPerSec: (calls * 1000) / elapsedMs,
    calls,
    p50Ms: quantile(latenciesMs, 0.5),
    p99Ms: quantile(latenciesMs, 0.99),
    ...cpuPerOp(before, after, calls),
    warmup: cpuPerOp(cold, warm, warmed),
    young: cpuPerOp(cold, grown, young),
  };
}

/** Exactly `calls` unary calls from `concurrency` loops (warm-ups, and the syscall count's fixed number). */
export async function runUnaryCalls(client: BenchClient, concurrency: number, calls: number): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started++;
      await client.unary();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return started;
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

/**
 * Messages (or round trips) per second of one streaming call carrying `count`, after an unmeasured
 * call carrying `warmupCount` (none if 0).
 */
export async function runStream(
  run: (count: number) => Promise<number>,
  count: number,
  warmupCount: number,
  sample: CpuSampler,
): Promise<StreamResult> {
  if (warmupCount > 0) await run(warmupCount);
  const before = sample();
  const start = performance.now();
  const done = await run(count);
  const elapsedMs = performance.now() - start;
  const after = sample();
  if (done !== count) throw new Error(`expected ${count} messages, got ${done}`);
  return { perSec: (count * 1000) / elapsedMs, ...cpuPerOp(before, after, count) };
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
