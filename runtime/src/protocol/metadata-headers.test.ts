import { Metadata } from "../core/metadata.js";
import { headerEntrySize, isReservedHeader, metadataFromRawHeaders, metadataToHeaders } from "./metadata-headers.js";

const entries = (md: Metadata) => [...md].map(([k, v]) => [k, typeof v === "string" ? v : [...v]]);

describe("metadataFromRawHeaders", () => {
  it("keeps repeated keys apart and in order", () => {
    const md = metadataFromRawHeaders(["x-a", "1", "x-b", "2", "x-a", "3"]);
    expect(entries(md)).toEqual([
      ["x-a", "1"],
      ["x-a", "3"],
      ["x-b", "2"],
    ]);
  });

  it.each<[string, string, number[][]]>([
    ["padded base64", "AQID", [[1, 2, 3]]],
    ["padded base64 with =", "AQ==", [[1]]],
    ["unpadded base64", "AQ", [[1]]],
    ["comma-joined values", "AQ==,AgM", [[1], [2, 3]]],
    ["comma-joined with spaces", "AQ, Ag", [[1], [2]]],
    ["an empty value", "", [[]]],
  ])("decodes -bin values: %s", (_, value, expected) => {
    expect(
      metadataFromRawHeaders(["trace-bin", value])
        .getAll("trace-bin")
        .map((v) => [...(v as Uint8Array)]),
    ).toEqual(expected);
  });

  it("hides the headers the protocol owns", () => {
    const raw = [
      ":method",
      "POST",
      ":path",
      "/a/B",
      ":authority",
      "h",
      ":scheme",
      "http",
      "content-type",
      "application/grpc",
      "te",
      "trailers",
      "grpc-timeout",
      "1S",
      "grpc-encoding",
      "identity",
      "grpc-accept-encoding",
      "gzip",
      "user-agent",
      "grpc-node-js/1",
      "x-user",
      "u",
    ];
    expect(metadataFromRawHeaders(raw).keys()).toEqual(["user-agent", "x-user"]);
  });

  it("keeps a value the Metadata API would refuse, as the peer sent it", () => {
    expect(metadataFromRawHeaders(["x-odd", "\u00e9\u0001"]).get("x-odd")).toBe("\u00e9\u0001");
  });

  it.each([":path", "grpc-status", "grpc-x", "te", "content-type"])("%p is reserved", (name) => {
    expect(isReservedHeader(name)).toBe(true);
  });
  it.each(["user-agent", "x-grpc", "tee", "authorization"])("%p is not", (name) => {
    expect(isReservedHeader(name)).toBe(false);
  });
});

describe("metadataToHeaders", () => {
  it("writes repeated keys as arrays and bytes as unpadded base64", () => {
    const md = new Metadata([
      ["x-a", "1"],
      ["x-a", "2"],
      ["x-b-bin", new Uint8Array([1])],
      ["x-c", "3"],
    ]);
    expect(metadataToHeaders(md, { ":status": "200" })).toEqual({ ":status": "200", "x-a": ["1", "2"], "x-b-bin": "AQ", "x-c": "3" });
  });

  it("round-trips through raw headers", () => {
    const md = new Metadata([
      ["k", "v"],
      ["k", "w"],
      ["d-bin", new Uint8Array([0, 255, 7])],
    ]);
    const headers: Record<string, string | string[]> = metadataToHeaders(md, {});
    const raw = Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap((x) => [k, x]) : [k, v]));
    expect(entries(metadataFromRawHeaders(raw))).toEqual(entries(md));
  });
});

describe("headerEntrySize", () => {
  it("counts as HPACK does", () => {
    expect(headerEntrySize("x-a", 5)).toBe(3 + 5 + 32);
  });
});
