import type { ServicerContext, WorkerPool } from "@tsgrpc/runtime";
import { DataServiceServicer } from "../gen/datastream/datastream_grpc.js";
import type { PingRequest, StreamDataRequest } from "../gen/datastream/datastream_pb.js";
import { type AggregateRowInit, aggregateSalesCsv } from "./aggregate.js";

/** Where StreamData's CPU-heavy step runs: on the event loop (the anti-pattern) or in a worker pool. */
export type Mode = "blocking" | "offload";

/**
 * The datastream service: StreamData aggregates the sales CSV and streams one row per category;
 * Ping answers at once. In `blocking` mode the aggregation runs on the event loop, so while it
 * runs nothing else is served (Pings wait, flow-control updates and keepalives stall); in
 * `offload` mode it runs in a worker thread, tied to the RPC's signal.
 */
export class DataService extends DataServiceServicer {
  readonly #csvPath: string;
  readonly #mode: Mode;
  readonly #pool: WorkerPool | null;

  constructor(options: { csvPath: string; mode: Mode; pool: WorkerPool | null }) {
    super();
    if (options.mode === "offload" && options.pool === null) throw new Error("offload mode needs a worker pool");
    this.#csvPath = options.csvPath;
    this.#mode = options.mode;
    this.#pool = options.pool;
  }

  override async *StreamData(_request: StreamDataRequest, context: ServicerContext): AsyncGenerator<AggregateRowInit> {
    const rows =
      this.#mode === "offload" && this.#pool !== null
        ? // Cancelled with the RPC: the worker is stopped and its slot freed when the client leaves.
          await this.#pool.run<string, AggregateRowInit[]>(this.#csvPath, { signal: context.signal, timeout: 60 })
        : aggregateSalesCsv(this.#csvPath);
    yield* rows;
  }

  override Ping(request: PingRequest): { seq: number } {
    return { seq: request.seq };
  }
}
