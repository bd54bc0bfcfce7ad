import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWorkerPool, type Server, server, type WorkerPool } from "@tsgrpc/runtime";
import { addDataServiceServicerToServer } from "../gen/datastream/datastream_grpc.js";
import { DataService, type Mode } from "./data-service.js";
import { writeSalesCsv } from "./sales-csv.js";

/** Options of `startDataServer`. */
export interface DataServerOptions {
  /** Where to listen; port 0 picks a free one. */
  address: string;
  mode: Mode;
  /** Rows of the generated sales CSV. Default 1,000,000. */
  rows?: number | undefined;
  /** The built worker module (dist/datastream/aggregate-worker.js); needed in offload mode. */
  workerFilename: string | URL;
  /** Stall monitor warnings on stderr (default true; the `tsgrpc:stall` event is always published). */
  warnOnStall?: boolean | undefined;
}

/** A running datastream server, with what it owns. */
export interface DataServer {
  server: Server;
  port: number;
  /** The offload pool, or null in blocking mode. */
  pool: WorkerPool | null;
  /** Stops the server, closes the pool and deletes the generated CSV. */
  close(): Promise<void>;
}

/** Generates the sales CSV into a temp directory and starts the datastream server over it. */
export async function startDataServer(options: DataServerOptions): Promise<DataServer> {
  const dir = mkdtempSync(join(tmpdir(), "tsgrpc-datastream-"));
  const csvPath = join(dir, "sales.csv");
  writeSalesCsv(csvPath, options.rows ?? 1_000_000);
  const pool = options.mode === "offload" ? createWorkerPool({ filename: options.workerFilename, maxThreads: 2 }) : null;
  const srv = server({ stallMonitor: { thresholdMs: 200, warn: options.warnOnStall ?? true } });
  addDataServiceServicerToServer(new DataService({ csvPath, mode: options.mode, pool }), srv);
  const port = await srv.addInsecurePort(options.address);
  await srv.start();
  return {
    server: srv,
    port,
    pool,
    async close() {
      await srv.stop(null);
      await pool?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
