import { StatusCode } from "../core/status-code.js";
import { FramingError, frameMessage, MessageDeframer } from "./message-framing.js";

const bytes = (...values: number[]) => new Uint8Array(values);
const prefix = (flag: number, length: number) => bytes(flag, length >>> 24, (length >> 16) & 255, (length >> 8) & 255, length & 255);

/** Everything `deframer` gives until it needs more bytes. */
function drain(deframer: MessageDeframer): (string | FramingError)[] {
  const out: (string | FramingError)[] = [];
  for (;;) {
    const next = deframer.next();
    if (next === null) return out;
    if (next instanceof FramingError) return [...out, next];
    out.push(`${next.compressed ? "z" : ""}[${[...next.data].join(",")}]`);
  }
}

describe("frameMessage", () => {
  it.each([
    [bytes(), false, [0, 0, 0, 0, 0]],
    [bytes(7, 8), false, [0, 0, 0, 0, 2, 7, 8]],
    [bytes(7), true, [1, 0, 0, 0, 1, 7]],
  ])("frames %p (compressed %p)", (message, compressed, framed) => {
    expect([...frameMessage(message, compressed)]).toEqual(framed);
  });

  it("writes lengths past 16 bits big-endian", () => {
    expect([...frameMessage(new Uint8Array(70_000)).subarray(0, 5)]).toEqual([0, 0, 1, 0x11, 0x70]);
  });
});

describe("MessageDeframer", () => {
  it.each<[string, Uint8Array[], string[]]>([
    ["one message in one chunk", [frameMessage(bytes(1, 2, 3))], ["[1,2,3]"]],
    ["an empty message", [frameMessage(bytes())], ["[]"]],
    ["two messages coalesced in one chunk", [bytes(...frameMessage(bytes(1)), ...frameMessage(bytes(2, 3)))], ["[1]", "[2,3]"]],
    ["a prefix split across chunks", [bytes(0, 0), bytes(0, 0, 2, 9), bytes(8)], ["[9,8]"]],
    ["a message split byte by byte", [...frameMessage(bytes(4, 5, 6))].map((b) => bytes(b)), ["[4,5,6]"]],
    ["a compressed flag", [frameMessage(bytes(1), true)], ["z[1]"]],
    ["a partial message", [bytes(0, 0, 0, 0, 3, 1, 2)], []],
  ])("%s", (_, chunks, expected) => {
    const deframer = new MessageDeframer(100);
    for (const chunk of chunks) deframer.push(chunk);
    expect(drain(deframer)).toEqual(expected);
  });

  it("returns a message that arrived whole as a view, without copying", () => {
    const chunk = bytes(...frameMessage(bytes(1, 2)), ...frameMessage(bytes(3)));
    const deframer = new MessageDeframer(100);
    deframer.push(chunk);
    const first = deframer.next();
    expect(first).not.toBeInstanceOf(FramingError);
    expect((first as { data: Uint8Array }).data.buffer).toBe(chunk.buffer);
  });

  it.each<[string, Uint8Array, StatusCode, string]>([
    [
      "a 4 GiB length prefix",
      prefix(0, 0xffff_ffff),
      StatusCode.RESOURCE_EXHAUSTED,
      "Received message larger than max (4294967295 vs. 100)",
    ],
    ["a length just past the limit", prefix(0, 101), StatusCode.RESOURCE_EXHAUSTED, "Received message larger than max (101 vs. 100)"],
    ["an undefined flag", prefix(2, 1), StatusCode.INTERNAL, "Invalid message flag 2 (only 0 and 1 are defined)"],
  ])("refuses %s as soon as the prefix is in, keeping none of the body", (_, head, code, details) => {
    const deframer = new MessageDeframer(100);
    deframer.push(head);
    expect(deframer.next()).toEqual(new FramingError(code, details));
    deframer.push(new Uint8Array(1000));
    expect(deframer.bufferedBytes).toBe(0);
    expect(deframer.next()).toEqual(new FramingError(code, details));
  });

  it("tells the pending length once the prefix is in", () => {
    const deframer = new MessageDeframer(1 << 20);
    deframer.push(bytes(0, 0, 1));
    expect(deframer.pendingLength).toBe(-1);
    deframer.push(bytes(0, 0, 9));
    expect(deframer.pendingLength).toBe(65_536);
    expect(deframer.bufferedBytes).toBe(6);
  });

  it.each<[string, Uint8Array[], FramingError | null]>([
    ["between messages", [frameMessage(bytes(1))], null],
    ["with nothing sent", [], null],
    ["inside a prefix", [bytes(0, 0)], new FramingError(StatusCode.INTERNAL, "The stream ended inside a message (2 bytes of it received)")],
    [
      "inside a body",
      [bytes(0, 0, 0, 0, 4, 1)],
      new FramingError(StatusCode.INTERNAL, "The stream ended inside a message (6 bytes of it received)"),
    ],
  ])("at the end of the stream %s", (_, chunks, expected) => {
    const deframer = new MessageDeframer(100);
    for (const chunk of chunks) deframer.push(chunk);
    drain(deframer);
    expect(deframer.end()).toEqual(expected);
  });
});
