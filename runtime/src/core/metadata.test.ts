import { assertSendable, Metadata } from "./metadata.js";

describe("Metadata", () => {
  it("keeps values in order and lower-cases keys", () => {
    const md = new Metadata([
      ["IP", "127.0.0.1"],
      ["x", "1"],
      ["x", "2"],
    ]);
    expect(md.get("ip")).toBe("127.0.0.1");
    expect(md.getAll("x")).toEqual(["1", "2"]);
    expect([...md]).toEqual([
      ["ip", "127.0.0.1"],
      ["x", "1"],
      ["x", "2"],
    ]);
    expect(Object.fromEntries(md)).toEqual({ ip: "127.0.0.1", x: "2" });
    expect(md.size).toBe(3);
  });

  it("accepts records with single values and lists", () => {
    const md = new Metadata({ a: "1", b: ["2", "3"], "c-bin": new Uint8Array([1]) });
    expect(md.getAll("b")).toEqual(["2", "3"]);
    expect(md.get("c-bin")).toEqual(new Uint8Array([1]));
  });

  it.each([
    ["a key with a space", () => new Metadata([["bad key", "x"]]), /"bad key" is invalid/],
    ["an empty key", () => new Metadata([["", "x"]]), /non-empty/],
    ["a string under a -bin key", () => new Metadata([["trace-bin", "x"]]), /must be a Uint8Array/],
    ["bytes under a text key", () => new Metadata([["trace", new Uint8Array([1])]]), /needs a string/],
    ["a non-ASCII text value", () => new Metadata([["name", "caf\u00e9"]]), /printable ASCII/],
  ])("rejects %s with a TypeError", (_name, make, message) => {
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });

  it("set replaces, delete removes, clone copies", () => {
    const md = new Metadata([
      ["a", "1"],
      ["a", "2"],
    ]);
    const copy = md.clone();
    md.set("a", "3");
    expect(md.getAll("a")).toEqual(["3"]);
    expect(copy.getAll("a")).toEqual(["1", "2"]);
    md.delete("A");
    expect(md.has("a")).toBe(false);
  });
});

describe("assertSendable", () => {
  it.each(["grpc-timeout", "grpc-foo", "content-type", "te", "user-agent", "host"])("rejects %s in requests", (key) => {
    expect(() => assertSendable(new Metadata([[key, "v"]]), "request")).toThrow(new RegExp(`"${key}" is reserved`));
  });

  it("cannot even hold pseudo-headers", () => {
    expect(() => new Metadata([[":path", "/x"]])).toThrow(TypeError);
  });

  it("allows grpc-status-details-bin in trailers only", () => {
    const md = new Metadata([["grpc-status-details-bin", new Uint8Array([8, 3])]]);
    expect(() => assertSendable(md, "trailers")).not.toThrow();
    expect(() => assertSendable(md, "request")).toThrow(/reserved/);
  });

  it("points user-agent at the channel option", () => {
    expect(() => assertSendable(new Metadata([["user-agent", "me"]]), "request")).toThrow(/channel option primaryUserAgent/);
  });
});
