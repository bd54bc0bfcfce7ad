import { gzipSync } from "node:zlib";
import { StatusCode } from "../core/status-code.js";
import {
  acceptsEncoding,
  compress,
  compressSync,
  decompress,
  type MessageEncoding,
  parseMessageEncoding,
  syncCompressionBytes,
} from "./message-compression.js";
import { FramingError } from "./message-framing.js";

const text = (size: number) => Buffer.from("abc ".repeat(Math.ceil(size / 4)).slice(0, size));

describe("grpc-encoding and grpc-accept-encoding", () => {
  it.each<[string | undefined, MessageEncoding | null | undefined]>([
    [undefined, null],
    ["identity", null],
    ["gzip", "gzip"],
    ["deflate", "deflate"],
    ["br", undefined],
    ["GZIP", undefined],
    ["", undefined],
  ])("grpc-encoding %p is %p", (value, encoding) => {
    expect(parseMessageEncoding(value)).toBe(encoding);
  });

  it.each<[string | undefined, boolean]>([
    ["identity, deflate, gzip", true],
    ["identity,deflate,gzip", true],
    ["gzip", true],
    [" gzip ", true],
    ["identity", false],
    ["identity, deflate", false],
    ["gzipx", false],
    [undefined, false],
  ])("grpc-accept-encoding %p lists gzip: %p", (value, listed) => {
    expect(acceptsEncoding(value, "gzip")).toBe(listed);
  });
});

describe("compress and decompress", () => {
  it.each<[MessageEncoding, number]>([
    ["gzip", 1000],
    ["deflate", 1000],
    ["gzip", syncCompressionBytes * 4],
    ["deflate", syncCompressionBytes * 4],
  ])("round-trips %s of %p bytes, on and off the event loop", async (encoding, size) => {
    const data = text(size);
    for (const packed of [compressSync(encoding, data), await compress(encoding, data)]) {
      expect(packed.byteLength).toBeLessThan(size / 4);
      const back = await decompress(encoding, packed, size);
      expect(Buffer.from(back as Uint8Array).equals(data)).toBe(true);
    }
  });

  it.each([100, syncCompressionBytes * 8])("stops at the limit, a byte past it an error (%p bytes in)", async (size) => {
    const packed = gzipSync(text(size));
    expect(Buffer.from((await decompress("gzip", packed, size)) as Uint8Array).length).toBe(size);
    expect(await decompress("gzip", packed, size - 1)).toEqual(
      new FramingError(StatusCode.RESOURCE_EXHAUSTED, `Received message larger than max (more than ${size - 1} bytes once decompressed)`),
    );
  });

  it("calls a body that does not inflate INTERNAL, naming the algorithm", async () => {
    const result = await decompress("deflate", Buffer.from([1, 2, 3]), 100);
    expect(result).toBeInstanceOf(FramingError);
    expect(result).toMatchObject({
      code: StatusCode.INTERNAL,
      details: expect.stringMatching(/^Failed to decompress a deflate message: /),
    });
  });
});
