// The worker module of the datastream example's pool (`--mode=offload`): piscina loads the built
// file (dist/datastream/aggregate-worker.js) in a worker thread and calls its default export.
import { aggregateSalesCsv } from "./aggregate.js";

/** Aggregates the sales CSV at `path` off the server's event loop. */
export default function aggregate(path: string): ReturnType<typeof aggregateSalesCsv> {
  return aggregateSalesCsv(path);
}
