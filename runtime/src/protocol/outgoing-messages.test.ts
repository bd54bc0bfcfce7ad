import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { MessageDeframer } from "./message-framing.js";
import { OutgoingMessages } from "./outgoing-messages.js";

interface Sent {
  frames: Uint8Array[];
  caughtUp: number;
}

const sink = {
  send: (sent: Sent, framed: Uint8Array) => sent.frames.push(framed) < 100,
  failed: (_sent: Sent, error: unknown) => {
    throw error;
  },
  caughtUp: (sent: Sent) => void sent.caughtUp++,
};

/** The messages of `frames`, inflated, with their compressed flag. */
function unframed(frames: Uint8Array[]): [number, boolean][] {
  const deframer = new MessageDeframer(Number.POSITIVE_INFINITY);
  for (const frame of frames) deframer.push(frame);
  const out: [number, boolean][] = [];
  for (let next = deframer.next(); next !== null; next = deframer.next()) {
    if (!("data" in next)) throw new Error(next.details);
    out.push([next.compressed ? gunzipSync(next.data).byteLength : next.data.byteLength, next.compressed]);
  }
  return out;
}

describe("OutgoingMessages", () => {
  it("compresses per message: not under 256 bytes, not with noCompress, nothing without an encoding", () => {
    const sent: Sent = { frames: [], caughtUp: 0 };
    const messages = new OutgoingMessages(sink, sent);
    expect(messages.write(new Uint8Array(1000))).toBe(true);
    messages.encoding = "gzip";
    messages.write(new Uint8Array(100));
    messages.write(new Uint8Array(1000), true);
    messages.write(new Uint8Array(1000));
    expect(messages.pending).toBeNull();
    expect(unframed(sent.frames)).toEqual([
      [1000, false],
      [100, false],
      [1000, false],
      [1000, true],
    ]);
  });

  it("sends a large message compressed off the event loop before the small ones written after it, then says it caught up", async () => {
    const sent: Sent = { frames: [], caughtUp: 0 };
    const messages = new OutgoingMessages(sink, sent);
    messages.encoding = "gzip";
    // Random bytes stay over 64 KiB compressed: compressed on the thread pool.
    expect(messages.write(randomBytes(100 * 1024))).toBe(false);
    expect(messages.write(new Uint8Array(10))).toBe(false);
    expect(sent.frames).toHaveLength(0);
    await messages.pending;
    await new Promise((resolve) => setImmediate(resolve));
    expect(unframed(sent.frames)).toEqual([
      [100 * 1024, true],
      [10, false],
    ]);
    expect([messages.pending, sent.caughtUp]).toEqual([null, 1]);
  });
});
