import { AsyncLocalStorage } from "node:async_hooks";
import type { ServicerContext } from "./servicer-context.js";

// One store per process, kept on globalThis so that the ESM and the CommonJS builds of the runtime
// (the dual package hazard) see the same one. Created on first use: an AsyncLocalStorage that is
// never entered costs nothing, one that is entered slows every promise (2.7× on a promise-heavy loop, Node 20), hence opt-in.
const storageKey = Symbol.for("@tsgrpc/runtime/servicerContextStorage");

interface StorageHolder {
  [storageKey]?: AsyncLocalStorage<ServicerContext | undefined>;
}

/**
 * The ServicerContext of the RPC being served by the code that calls this, when that RPC's server
 * was created with `propagateDeadlines: true`; undefined otherwise. Client calls started without
 * a `parent` option use it as their parent: they inherit its remaining deadline and are cancelled
 * when it is cancelled, times out, or its server stops (not when it completes normally).
 *
 * @example
 * const parent = currentServicerContext();
 * if (parent) console.log(`serving ${parent.timeRemaining()} s more`);
 */
export function currentServicerContext(): ServicerContext | undefined {
  return (globalThis as StorageHolder)[storageKey]?.getStore();
}

/** Runs `fn` (and everything it starts asynchronously) with `context` as the current servicer context. */
export function runWithServicerContext<T>(context: ServicerContext | undefined, fn: () => T): T {
  const holder = globalThis as StorageHolder;
  const storage = (holder[storageKey] ??= new AsyncLocalStorage<ServicerContext | undefined>());
  return storage.run(context, fn);
}

/** Runs `fn` outside of any servicer context, when a store exists at all (free otherwise). */
export function runWithoutServicerContext<T>(fn: () => T): T {
  const storage = (globalThis as StorageHolder)[storageKey];
  return storage === undefined || storage.getStore() === undefined ? fn() : storage.run(undefined, fn);
}
