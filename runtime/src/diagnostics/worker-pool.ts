import type { Piscina } from "piscina";
import { timeoutToMs } from "../core/deadline.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";

/** Options of `createWorkerPool`. */
export interface WorkerPoolOptions {
  /**
   * The worker module (a path or `file:` URL of a built `.js`/`.mjs` file). Its default export,
   * or the export named by `run`'s `name`, is called with each input; it may return a Promise.
   */
  filename: string | URL;
  /** At most this many worker threads (default: piscina's, from the number of cores). */
  maxThreads?: number | undefined;
  /** Called with the task name and the original error when a task fails (default: a process warning). */
  onError?: ((task: string, error: unknown) => void) | undefined;
}

/** Options of one `WorkerPool.run`. */
export interface WorkerRunOptions {
  /** Stop waiting (and stop the worker running the task) when this aborts, e.g. `context.signal`. */
  signal?: AbortSignal | undefined;
  /** Seconds the task may take; then it is stopped and `run` rejects with DEADLINE_EXCEEDED. */
  timeout?: number | undefined;
  /** The worker module's export to call (default: its default export). */
  name?: string | undefined;
}

/** CPU-heavy work on worker threads, off the event loop that serves RPCs. */
export interface WorkerPool {
  /**
   * Runs the worker module's export on `input` in a worker thread. Rejects with `signal.reason`
   * when `signal` aborts (a servicer's `context.signal` gives the RPC's own CANCELLED or
   * DEADLINE_EXCEEDED), with an `RpcError` DEADLINE_EXCEEDED after `timeout` seconds, and with an
   * `RpcError` INTERNAL when the task throws (the error itself goes to `onError`, not to the
   * client). A task given up on is stopped, so its worker slot is free again.
   */
  run<I, O>(input: I, options?: WorkerRunOptions): Promise<O>;
  /** Tasks queued plus threads not idle (running a task, or starting); 0 when the pool is idle. */
  readonly pending: number;
  /** Waits for running tasks, then ends every thread. */
  close(): Promise<void>;
}

/**
 * Creates a pool of worker threads (piscina) for CPU-heavy handler work. piscina itself is loaded
 * on the first `run`, so that an application that never runs a task does not load it.
 *
 * @example
 * // aggregate-worker.js: export default function aggregate(path) { … return rows; }
 * const pool = createWorkerPool({ filename: new URL("./aggregate-worker.js", import.meta.url) });
 * class DataService implements DataServiceServicer {
 *   async *StreamData(request, context) {
 *     const rows = await pool.run(request.path, { signal: context.signal, timeout: 30 });
 *     yield* rows;
 *   }
 * }
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  return new PiscinaWorkerPool(options);
}

class PiscinaWorkerPool implements WorkerPool {
  readonly #filename: string;
  readonly #maxThreads: number | undefined;
  readonly #onError: (task: string, error: unknown) => void;
  /** piscina, once the first `run` has loaded it. */
  #piscina: Piscina | null = null;
  #loading: Promise<Piscina> | null = null;
  /** Tasks waiting for piscina to load: they count as pending. */
  #waiting = 0;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    this.#filename = options.filename instanceof URL ? options.filename.href : options.filename;
    const max = options.maxThreads;
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
      throw new RangeError(`maxThreads must be a positive integer, got ${String(max)}`);
    }
    this.#maxThreads = max;
    this.#onError = options.onError ?? warnTaskError;
  }

  get pending(): number {
    const piscina = this.#piscina;
    if (piscina === null) return this.#waiting;
    // Threads not idle are running a task (or starting to); a stopped task's thread is gone.
    return this.#waiting + piscina.queueSize + piscina.threads.length - piscina.idleThreads;
  }

  /** piscina, loaded and constructed on first use. */
  #pool(): Promise<Piscina> {
    this.#loading ??= import("piscina").then(({ Piscina }) => {
      // No idle threads kept: a pool costs nothing until work arrives (threads start in ~30 ms).
      const max = this.#maxThreads;
      this.#piscina = new Piscina({ filename: this.#filename, minThreads: 0, ...(max === undefined ? {} : { maxThreads: max }) });
      return this.#piscina;
    });
    return this.#loading;
  }

  async run<I, O>(input: I, options: WorkerRunOptions = {}): Promise<O> {
    const { signal, timeout, name } = options;
    const task = name ?? "default";
    signal?.throwIfAborted();
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    if (timeout !== undefined) {
      timer = setTimeout(
        () => controller.abort(new RpcError(StatusCode.DEADLINE_EXCEEDED, `Worker task "${task}" took longer than ${timeout} s`)),
        timeoutToMs(timeout),
      );
    }
    try {
      if (this.#closed) throw new Error("the worker pool is closed");
      let piscina = this.#piscina;
      if (piscina === null) {
        this.#waiting++;
        try {
          piscina = await this.#pool();
        } finally {
          this.#waiting--;
        }
        controller.signal.throwIfAborted();
      }
      return (await piscina.run(input, { signal: controller.signal, ...(name === undefined ? {} : { name }) })) as O;
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      this.#onError(task, error);
      throw new RpcError(StatusCode.INTERNAL, `Worker task "${task}" failed`, { cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#loading !== null) await (await this.#loading).close();
  }
}

function warnTaskError(task: string, error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.emitWarning(`tsgrpc: worker task "${task}" failed: ${text}`);
}
