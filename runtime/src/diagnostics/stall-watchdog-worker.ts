/**
 * The stall watchdog's thread. The main thread bumps a heartbeat in shared memory from a timer;
 * this thread checks it and, when it has not moved for longer than the threshold, writes one
 * line to stderr while the main thread is still blocked (diagnostics_channel is per thread, and
 * `fs.writeSync(2, …)` needs no event loop).
 *
 * The code is a string run with `eval: true`, so the same watchdog works from the ESM and the
 * CommonJS builds and from sources under ts-jest, with no worker file to locate on disk.
 */

/** Int32 slots at the start of the shared buffer. */
export const slot = {
  /** Incremented by the main thread on every heartbeat. */
  beat: 0,
  /** Set to 1 (and notified) to end the watchdog. */
  stop: 1,
  /** Byte length of the in-flight method list that follows the header. */
  namesLength: 2,
  /** Seqlock over the method list: odd while the main thread rewrites it. */
  namesVersion: 3,
} as const;

/** Bytes before the method list (4 Int32 slots). */
export const headerBytes = 16;

/** What the watchdog thread is started with. */
export interface WatchdogData {
  shared: SharedArrayBuffer;
  thresholdMs: number;
  checkMs: number;
}

export const watchdogSource = `
"use strict";
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const { shared, thresholdMs, checkMs } = workerData;
const header = new Int32Array(shared, 0, 4);
const bytes = new Uint8Array(shared, ${headerBytes});
const decoder = new TextDecoder();
function methods() {
  for (let attempt = 0; attempt < 4; attempt++) {
    const version = Atomics.load(header, ${slot.namesVersion});
    if (version % 2 === 1) continue;
    const text = decoder.decode(bytes.slice(0, Atomics.load(header, ${slot.namesLength})));
    if (Atomics.load(header, ${slot.namesVersion}) === version) return text;
  }
  return "";
}
let lastBeat = Atomics.load(header, ${slot.beat});
let lastChangeMs = performance.now();
let reported = false;
while (Atomics.load(header, ${slot.stop}) === 0) {
  Atomics.wait(header, ${slot.stop}, 0, checkMs);
  const beat = Atomics.load(header, ${slot.beat});
  const now = performance.now();
  if (beat !== lastBeat) {
    lastBeat = beat;
    lastChangeMs = now;
    reported = false;
    continue;
  }
  // The heartbeat is due every checkMs; silence beyond that plus the threshold is a stall.
  const blockedMs = now - lastChangeMs - checkMs;
  if (!reported && blockedMs >= thresholdMs && Atomics.load(header, ${slot.stop}) === 0) {
    reported = true;
    const serving = methods();
    const line = "tsgrpc: the event loop has been blocked for " + Math.round(blockedMs) + " ms so far" +
      (serving ? " (in flight: " + serving + ")" : " (no RPC in flight)") + "\\n";
    try { writeSync(2, line); } catch {}
  }
}
`;
