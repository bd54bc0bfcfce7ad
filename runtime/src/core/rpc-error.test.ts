import { Metadata } from "./metadata.js";
import { RpcError } from "./rpc-error.js";
import { StatusCode } from "./status-code.js";

describe("RpcError", () => {
  it("names the method, the code and the details in its message", () => {
    const error = new RpcError(StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded", { method: "/users.Users/CreateUser" });
    expect(error.message).toBe("/users.Users/CreateUser DEADLINE_EXCEEDED: Deadline Exceeded");
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(error.details()).toBe("Deadline Exceeded");
    expect(error).toBeInstanceOf(Error);
  });

  it("is recognised by instanceof across copies of the class (brand, not identity)", () => {
    const foreign = Object.create(Error.prototype) as object;
    Object.defineProperty(foreign, Symbol.for("@tsgrpc/runtime/RpcError"), { value: true });
    expect(foreign instanceof RpcError).toBe(true);
    expect(new Error("x") instanceof RpcError).toBe(false);
  });

  it("normalises anything thrown with from()", () => {
    const abort = new DOMException("stop", "AbortError");
    expect(RpcError.from(abort).code()).toBe(StatusCode.CANCELLED);
    const boom = new Error("boom");
    const converted = RpcError.from(boom);
    expect(converted.code()).toBe(StatusCode.UNKNOWN);
    expect(converted.details()).toBe("boom");
    expect(converted.cause).toBe(boom);
    const same = new RpcError(StatusCode.NOT_FOUND, "x");
    expect(RpcError.from(same)).toBe(same);
  });

  it("decodes google.rpc.Status from grpc-status-details-bin", () => {
    // code=3, message="bad", details=[Any{type_url="t", value=0x01}]
    const bytes = new Uint8Array([0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64, 0x1a, 0x06, 0x0a, 0x01, 0x74, 0x12, 0x01, 0x01]);
    const error = new RpcError(StatusCode.INVALID_ARGUMENT, "bad", {
      trailingMetadata: new Metadata([["grpc-status-details-bin", bytes]]),
    });
    expect(error.statusDetails()).toEqual({ code: 3, message: "bad", details: [{ typeUrl: "t", value: new Uint8Array([1]) }] });
    expect(new RpcError(StatusCode.INTERNAL).statusDetails()).toBeNull();
  });
});
