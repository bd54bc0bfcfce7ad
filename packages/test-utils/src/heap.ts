import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/**
 * The heap in use once garbage is collected (three full GCs, a turn of the event loop apart), made
 * possible without restarting node with --expose-gc: what a soak compares before and after.
 */
export async function settledHeapBytes(): Promise<number> {
  if (gc === undefined) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
