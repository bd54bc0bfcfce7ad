import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/**
 * The process's memory once garbage is collected: three full GCs a turn of the event loop apart,
 * because V8 frees collected ArrayBuffers' backing stores concurrently, after `gc()` returns (read
 * at once, `arrayBuffers` still counts them). Possible without restarting node with --expose-gc.
 * For the suites' child servers too, which import this file by path (the package's index loads the
 * runtime).
 */
export async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  if (gc === undefined) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage();
}

/** The heap in use once garbage is collected (`settledMemory`): what a soak compares before and after. */
export async function settledHeapBytes(): Promise<number> {
  return (await settledMemory()).heapUsed;
}
