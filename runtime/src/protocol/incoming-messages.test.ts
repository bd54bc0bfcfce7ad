import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { StatusCode } from "../core/status-code.js";
import { IncomingMessages } from "./incoming-messages.js";
import { type FramingError, frameMessage } from "./message-framing.js";

interface Seen {
  messages: [string, boolean][];
  errors: FramingError[];
  passes: number;
}

const sink = {
  message: (seen: Seen, data: Uint8Array, compressed: boolean) =>
    seen.messages.push([Buffer.from(data).toString().slice(0, 8), compressed]),
  failed: (seen: Seen, error: FramingError) => seen.errors.push(error),
  taken: (seen: Seen) => void seen.passes++,
};

function incoming(max = 1024 * 1024) {
  const seen: Seen = { messages: [], errors: [], passes: 0 };
  return { seen, messages: new IncomingMessages(max, sink, seen) };
}

describe("IncomingMessages", () => {
  it("hands on messages in order, a large compressed one inflated off the event loop before the small ones after it", async () => {
    const { seen, messages } = incoming();
    messages.encoding = "gzip";
    // Random bytes stay over 64 KiB compressed: inflated on the thread pool.
    const large = gzipSync(Buffer.concat([Buffer.from("llllllll"), randomBytes(100 * 1024)]));
    messages.push(Buffer.concat([frameMessage(Buffer.from("first")), frameMessage(large, true), frameMessage(Buffer.from("after"))]));
    expect(messages.inflating).toBe(true);
    expect(seen.messages).toEqual([["first", false]]);
    await new Promise<void>((resolve) => {
      const poll = () => (messages.inflating ? setTimeout(poll, 1) : resolve());
      poll();
    });
    expect(seen.messages).toEqual([
      ["first", false],
      ["llllllll", true],
      ["after", false],
    ]);
    expect(messages.end()).toBeNull();
  });

  it.each([
    [
      "a compressed message on a call without an encoding",
      null,
      frameMessage(Buffer.from("x"), true),
      StatusCode.INTERNAL,
      /without grpc-encoding/,
    ],
    [
      "a message over the limit once inflated",
      "gzip",
      frameMessage(gzipSync(Buffer.alloc(4096)), true),
      StatusCode.RESOURCE_EXHAUSTED,
      /larger than max/,
    ],
    ["a body that does not inflate", "deflate", frameMessage(Buffer.from("not zlib"), true), StatusCode.INTERNAL, /Failed to decompress/],
    ["a length over the limit", null, Buffer.from([0, 0, 0, 0x10, 0]), StatusCode.RESOURCE_EXHAUSTED, /larger than max \(4096 vs\. 1024\)/],
  ] as const)("%s ends the stream", (_name, encoding, bytes, code, details) => {
    const { seen, messages } = incoming(1024);
    messages.encoding = encoding;
    messages.push(bytes);
    messages.push(frameMessage(Buffer.from("ignored")));
    expect(seen.messages).toEqual([]);
    expect(seen.errors).toHaveLength(1);
    expect(seen.errors[0]).toMatchObject({ code, details: expect.stringMatching(details) });
  });

  it("hands on nothing once stopped, and says when the bytes end inside a message", () => {
    const { seen, messages } = incoming();
    messages.push(frameMessage(Buffer.from("whole")).subarray(0, 7));
    expect(messages.end()).toMatchObject({ code: StatusCode.INTERNAL });
    messages.stop();
    messages.push(frameMessage(Buffer.from("late")));
    expect(seen.messages).toEqual([]);
  });
});
