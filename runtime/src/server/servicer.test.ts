import { jsonMethod } from "@tsgrpc/test-utils";
import { servicerMethodHandlers } from "./servicer.js";

describe("servicerMethodHandlers", () => {
  it("keys handlers by method name, even __proto__", () => {
    const servicer = Object.defineProperty({ Get: () => ({}) }, "__proto__", { value: () => ({}), enumerable: true });
    const handlers = servicerMethodHandlers(servicer, {
      Get: jsonMethod("/pkg.Svc/Get"),
      ["__proto__"]: jsonMethod("/pkg.Svc/__proto__"),
    });
    expect(Object.keys(handlers).sort()).toEqual(["Get", "__proto__"]);
    expect(Object.getPrototypeOf(handlers)).toBeNull();
    // biome-ignore lint/suspicious/noProto: the point of the test (a method named __proto__).
    expect(typeof handlers.__proto__?.unaryUnary).toBe("function");
  });

  it("builds the handler kind from the definition's shape", () => {
    const handlers = servicerMethodHandlers(
      {},
      {
        A: jsonMethod("/p.S/A"),
        B: jsonMethod("/p.S/B", { responseStream: true }),
        C: jsonMethod("/p.S/C", { requestStream: true }),
        D: jsonMethod("/p.S/D", { requestStream: true, responseStream: true }),
      },
    );
    expect(Object.values(handlers).map((h) => [h.requestStreaming, h.responseStreaming])).toEqual([
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]);
  });
});
