import { channel } from "node:diagnostics_channel";
import type { Worker } from "node:worker_threads";
import { headerBytes, slot, type WatchdogData, watchdogSource } from "./stall-watchdog-worker.js";

/** The `diagnostics_channel` a server's stall monitor publishes its `StallReport`s on. */
export const stallChannelName = "tsgrpc:stall";

/** Options of a server's stall monitor (`server({ stallMonitor: { thresholdMs: 200 } })`). */
export interface StallMonitorOptions {
  /** A blocked event loop is reported once it has been blocked this long. Default 200. */
  thresholdMs?: number | undefined;
  /**
   * Default true: a worker-thread watchdog writes a line to stderr while a stall lasts, and a
   * process warning naming the method paths follows once it ends. False leaves only the
   * `tsgrpc:stall` event.
   */
  warn?: boolean | undefined;
}

/** An RPC that was in flight during a stall. */
export interface StalledRpc {
  /** The method path, `/package.Service/Method`. */
  method: string;
  /** The client's address, as `context.peer()` gives it. */
  peer: string;
  /** How long the RPC had been running when the stall was reported (or when it ended, if earlier). */
  ageMs: number;
}

/**
 * What `tsgrpc:stall` carries: how long the event loop was blocked (at least; measured by timer
 * lateness) and the RPCs that were in flight meanwhile.
 *
 * @example
 * import { subscribe } from "node:diagnostics_channel";
 * subscribe("tsgrpc:stall", (message) => {
 *   const report = message as StallReport;
 *   metrics.stalls.observe(report.durationMs, { method: report.rpcs[0]?.method });
 * });
 */
export interface StallReport {
  /** How long the event loop was blocked, in milliseconds. */
  durationMs: number;
  /** The RPCs in progress while it was. */
  rpcs: StalledRpc[];
}

interface Tracked {
  method: string;
  peer: string;
  startMs: number;
  endMs: number;
}

const defaultThresholdMs = 200;
/** Room for the in-flight method list the watchdog prints. */
const namesBytes = 4096;

/**
 * Detects event-loop stalls for one server: a timer (unref'd) notices when it fires late, and a
 * watchdog thread notices while the stall lasts. The server tells it which RPCs are in flight.
 * Idle cost: one timer tick every `thresholdMs / 4`.
 */
export class StallMonitor {
  readonly #thresholdMs: number;
  readonly #intervalMs: number;
  readonly #warn: boolean;
  readonly #active = new Set<Tracked>();
  /** RPCs that ended since the last tick: a stall seen at the next tick may have been theirs. */
  #ended: Tracked[] = [];
  readonly #methodCounts = new Map<string, number>();
  readonly #channel = channel(stallChannelName);
  #timer: NodeJS.Timeout | undefined;
  #lastTickMs = 0;
  #header: Int32Array | null = null;
  #names: Uint8Array | null = null;
  #worker: { thread: Worker; exited: Promise<void> } | null = null;
  readonly #encoder = new TextEncoder();

  constructor(options: StallMonitorOptions) {
    const threshold = options.thresholdMs ?? defaultThresholdMs;
    if (!(typeof threshold === "number" && Number.isFinite(threshold) && threshold > 0)) {
      throw new RangeError(`stallMonitor.thresholdMs must be a positive number of ms, got ${String(threshold)}`);
    }
    this.#thresholdMs = threshold;
    this.#intervalMs = Math.max(5, Math.min(250, Math.round(threshold / 4)));
    this.#warn = options.warn ?? true;
  }

  /** Starts the timer and, when warning, the watchdog thread. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#lastTickMs = performance.now();
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
    this.#timer.unref();
    if (this.#warn) this.#startWatchdog();
  }

  /** Records an RPC as in flight; the returned function marks it ended. */
  track(method: string, peer: string): () => void {
    const rpc: Tracked = { method, peer, startMs: performance.now(), endMs: Number.NaN };
    this.#active.add(rpc);
    this.#countMethod(method, 1);
    return () => {
      if (!this.#active.delete(rpc)) return;
      rpc.endMs = performance.now();
      this.#ended.push(rpc);
      this.#countMethod(method, -1);
    };
  }

  /** Stops the timer and the watchdog thread; resolves once the thread has exited. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    const worker = this.#worker;
    this.#worker = null;
    if (worker === null || this.#header === null) return;
    Atomics.store(this.#header, slot.stop, 1);
    Atomics.notify(this.#header, slot.stop);
    await worker.exited;
  }

  #tick(): void {
    const now = performance.now();
    const lateMs = now - this.#lastTickMs - this.#intervalMs;
    const windowStartMs = this.#lastTickMs;
    this.#lastTickMs = now;
    if (this.#header !== null) Atomics.add(this.#header, slot.beat, 1);
    if (lateMs >= this.#thresholdMs) this.#report(Math.round(lateMs), windowStartMs, now);
    this.#ended = [];
  }

  #report(durationMs: number, windowStartMs: number, now: number): void {
    const rpcs: StalledRpc[] = [];
    for (const rpc of this.#active) rpcs.push(stalled(rpc, now));
    for (const rpc of this.#ended) if (rpc.endMs >= windowStartMs) rpcs.push(stalled(rpc, now));
    const report: StallReport = { durationMs, rpcs };
    if (this.#channel.hasSubscribers) this.#channel.publish(report);
    if (this.#warn) process.emitWarning(stallWarning(report), "TsgrpcStallWarning");
  }

  #startWatchdog(): void {
    const shared = new SharedArrayBuffer(headerBytes + namesBytes);
    this.#header = new Int32Array(shared, 0, 4);
    this.#names = new Uint8Array(shared, headerBytes);
    this.#writeNames();
    const workerData: WatchdogData = { shared, thresholdMs: this.#thresholdMs, checkMs: this.#intervalMs };
    // Loaded here, not at import: only a server with a warning stall monitor starts a thread.
    const { Worker } = process.getBuiltinModule("node:worker_threads");
    const thread = new Worker(watchdogSource, { eval: true, workerData });
    thread.unref();
    // A watchdog that cannot run costs the live line only; the timer still reports stalls.
    thread.on("error", (error) => process.emitWarning(`tsgrpc: the stall watchdog thread failed: ${String(error)}`));
    const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
    this.#worker = { thread, exited };
  }

  #countMethod(method: string, delta: 1 | -1): void {
    const count = (this.#methodCounts.get(method) ?? 0) + delta;
    if (count > 0) this.#methodCounts.set(method, count);
    else this.#methodCounts.delete(method);
    // Only a change in the set of methods rewrites the list the watchdog prints.
    if (this.#names !== null && (count === 0 || (count === 1 && delta === 1))) this.#writeNames();
  }

  #writeNames(): void {
    const header = this.#header;
    const names = this.#names;
    if (header === null || names === null) return;
    Atomics.add(header, slot.namesVersion, 1);
    const { written } = this.#encoder.encodeInto([...this.#methodCounts.keys()].join(", "), names);
    Atomics.store(header, slot.namesLength, written);
    Atomics.add(header, slot.namesVersion, 1);
  }
}

function stalled(rpc: Tracked, now: number): StalledRpc {
  const until = Number.isNaN(rpc.endMs) ? now : rpc.endMs;
  return { method: rpc.method, peer: rpc.peer, ageMs: Math.round(until - rpc.startMs) };
}

/** One line naming what was in flight, e.g. for `process.emitWarning`. */
export function stallWarning(report: StallReport): string {
  const methods = [...new Set(report.rpcs.map((rpc) => rpc.method))];
  const serving = methods.length === 0 ? "no RPC in flight" : `in flight: ${methods.join(", ")}`;
  return `tsgrpc: the event loop was blocked for ${report.durationMs} ms (${serving}); move CPU-heavy work off the event loop (createWorkerPool, see docs/event-loop.md)`;
}
