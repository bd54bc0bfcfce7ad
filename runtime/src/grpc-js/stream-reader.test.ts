import { PassThrough, Readable } from "node:stream";
import type * as grpc from "@grpc/grpc-js";
import { ReadGate } from "./read-gate.js";
import { readAheadBytes, readAheadMessages, StreamReader } from "./stream-reader.js";

/** Lets the event loop turn until nothing more happens (the fake call delivers one message a turn). */
async function settle(stats: { reads: number } = { reads: 0 }): Promise<void> {
  for (let quiet = 0, last = -1; quiet < 5; ) {
    await new Promise((resolve) => setImmediate(resolve));
    if (stats.reads === last) quiet++;
    else [quiet, last] = [0, stats.reads];
  }
}

/**
 * grpc-js's client response stream in miniature: an object-mode Readable whose `_read()` asks the
 * call for one message (`startRead()`), behind a ReadGate's interceptor. The bottom call answers
 * each read with a message of `size` bytes on a later turn, as grpc-js does, while the server has
 * `available` messages; then with the end, or (`hold`) not at all.
 */
function gatedStream(size: number, available = Number.POSITIVE_INFINITY, then: "end" | "hold" = "end") {
  const gate = new ReadGate();
  const stats = { reads: 0 };
  let stream: Readable;
  const bottom = {
    startRead() {
      stats.reads++;
      if (stats.reads <= available) setImmediate(() => stream.push(Buffer.alloc(size)));
      else if (then === "end") setImmediate(() => stream.push(null));
    },
  } as unknown as ReturnType<grpc.NextCall>;
  const call = gate.interceptor({} as grpc.InterceptorOptions, () => bottom);
  stream = new Readable({ objectMode: true, read: () => call.startRead() });
  return { stream, gate, stats };
}

describe("StreamReader", () => {
  it("wakes every concurrent read(), then gives null at the end", async () => {
    const stream = new PassThrough({ objectMode: true });
    const reader = new StreamReader(stream, new ReadGate());
    const first = reader.read();
    const second = reader.read();
    stream.write(Buffer.from("a"));
    stream.write(Buffer.from("b"));
    const got = (await Promise.all([first, second])).map(String).sort();
    expect(got).toEqual(["a", "b"]);
    const third = reader.read();
    stream.end();
    await expect(third).resolves.toBeNull();
    await expect(reader.read()).resolves.toBeNull();
  });

  it.each([
    ["empty messages: the message bound", 0, readAheadMessages],
    ["100 B messages: the byte bound", 100, Math.ceil(readAheadBytes / 100)],
    ["16 KiB messages: the byte bound", 16 * 1024, 4],
    ["1 MiB messages: one message", 1024 * 1024, 1],
  ])("holds grpc-js's reads once it has enough, and lets one more in per message taken (%s)", async (_case, size, expected) => {
    const { stream, gate, stats } = gatedStream(size);
    const reader = new StreamReader(stream, gate);
    await settle(stats);
    expect(stats.reads).toBe(expected);
    expect(reader.bufferedBytes).toBe(expected * size);
    // Nothing waits in the stream's own buffer: what the reader holds is all there is.
    expect(stream.readableLength).toBe(0);
    // Each message taken lets one more in.
    expect(reader.readBuffered()).toHaveLength(size);
    await settle(stats);
    expect(stats.reads).toBe(expected + 1);
    expect(reader.bufferedBytes).toBe(expected * size);
    stream.destroy();
  });

  it("delivers every message and the end", async () => {
    const { stream, gate } = gatedStream(20_000, 10);
    const reader = new StreamReader(stream, gate);
    let count = 0;
    while ((await reader.read()) !== null) count++;
    expect(count).toBe(10);
  });

  it("discard() drops what is buffered and ends reading at once", async () => {
    const { stream, gate } = gatedStream(100, 3, "hold");
    const reader = new StreamReader(stream, gate);
    await settle();
    expect(reader.bufferedBytes).toBe(300);
    expect(reader.readBuffered()).toHaveLength(100);
    reader.discard();
    expect(reader.bufferedBytes).toBe(0);
    expect(reader.readBuffered()).toBeNull();
    await expect(reader.read()).resolves.toBeNull();
    stream.destroy();
  });

  it("discard() wakes a read() that waits", async () => {
    const { stream, gate } = gatedStream(100, 0, "hold");
    const reader = new StreamReader(stream, gate);
    const waiting = reader.read();
    await settle();
    reader.discard();
    await expect(waiting).resolves.toBeNull();
    stream.destroy();
  });

  it("after discard(), grpc-js is asked for nothing more and what still arrives is dropped", async () => {
    const { stream, gate, stats } = gatedStream(100);
    const reader = new StreamReader(stream, gate);
    await settle(stats);
    // Taking messages opens the gate: one read goes out, its message is on its way.
    for (let i = 0; i < 10; i++) reader.readBuffered();
    const reads = stats.reads;
    reader.discard();
    await settle(stats);
    expect(stats.reads).toBe(reads);
    expect(reader.bufferedBytes).toBe(0);
    expect(reader.readBuffered()).toBeNull();
    stream.destroy();
  });
});
