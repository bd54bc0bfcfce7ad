import { StatusCode } from "../core/status-code.js";
import { decodeGrpcMessage, encodeGrpcMessage, parseGrpcStatus } from "./status-message.js";

describe("grpc-message", () => {
  it.each<[string, string]>([
    ["", ""],
    ["Deadline Exceeded", "Deadline Exceeded"],
    ["100%", "100%25"],
    ["a\nb", "a%0Ab"],
    ["tab\there", "tab%09here"],
    ["é", "%C3%A9"],
    ["日本", "%E6%97%A5%E6%9C%AC"],
    ["emoji 🙂", "emoji %F0%9F%99%82"],
    ["\x7f", "%7F"],
    ["~ !$&'()*+,-./:;<=>?@[\\]^_`{|}", "~ !$&'()*+,-./:;<=>?@[\\]^_`{|}"],
  ])("%p is sent as %p and read back", (text, wire) => {
    expect(encodeGrpcMessage(text)).toBe(wire);
    expect(decodeGrpcMessage(wire)).toBe(text);
  });

  it.each<[string, string]>([
    ["%", "%"],
    ["50%!", "50%!"],
    ["%zz", "%zz"],
    ["%4", "%4"],
    ["%c3%a9", "é"],
    ["%FF", "\ufffd"],
    ["%C3", "\ufffd"],
    ["raw é kept", "raw é kept"],
  ])("decodes the malformed or lower-case %p without failing, as %p", (wire, text) => {
    expect(decodeGrpcMessage(wire)).toBe(text);
  });
});

describe("grpc-status", () => {
  it.each<[string | undefined, StatusCode]>([
    ["0", StatusCode.OK],
    ["4", StatusCode.DEADLINE_EXCEEDED],
    ["16", StatusCode.UNAUTHENTICATED],
    ["17", StatusCode.UNKNOWN],
    ["-1", StatusCode.UNKNOWN],
    ["1.0", StatusCode.UNKNOWN],
    ["", StatusCode.UNKNOWN],
    ["OK", StatusCode.UNKNOWN],
    [undefined, StatusCode.UNKNOWN],
  ])("%p is %p", (value, code) => {
    expect(parseGrpcStatus(value)).toBe(code);
  });
});
