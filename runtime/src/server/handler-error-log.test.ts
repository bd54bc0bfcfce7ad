import { errorClassOf, HandlerErrorLog } from "./handler-error-log.js";

describe("errorClassOf", () => {
  class UserNotFoundError extends Error {}
  const Anonymous = (() => class extends Error {})();
  const hostile = new Proxy(
    {},
    {
      get() {
        throw new Error("no");
      },
    },
  );
  test.each<[string, unknown, string]>([
    ["a built-in error", new TypeError("x"), "TypeError"],
    ["a subclass (named by its constructor, not its .name)", new UserNotFoundError("x"), "UserNotFoundError"],
    ["an anonymous class", new Anonymous(), "(anonymous class)"],
    ["a plain object", { message: "x" }, "Object"],
    ["an object without prototype", Object.create(null), "Object"],
    ["an object whose properties throw", hostile, "Object"],
    ["a function", () => {}, "Function"],
    ["a string", "boom", "string"],
    ["a number", 42, "number"],
    ["a bigint", 1n, "bigint"],
    ["a symbol", Symbol("x"), "symbol"],
    ["undefined", undefined, "undefined"],
    ["null", null, "null"],
  ])("%s", (_name, error, expected) => {
    expect(errorClassOf(error)).toBe(expected);
  });
});

describe("HandlerErrorLog", () => {
  let lines: string[];
  const logger = { error: (line: string) => lines.push(line) };
  const windowMs = 10_000;
  beforeEach(() => {
    lines = [];
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  const full = (method: string, message: string) =>
    expect.stringMatching(new RegExp(`^tsgrpc: the handler of ${method} failed: ${message}\n\\s+at `));

  test("logs the first error of a kind with its stack, then one count per window, only for windows that had some", () => {
    const log = new HandlerErrorLog(logger, 10);
    for (let i = 0; i < 1_933; i++) log.report("/pkg.Users/CreateUser", new TypeError(`bad ${i}`));
    expect(lines).toEqual([full("/pkg.Users/CreateUser", "TypeError: bad 0")]);
    jest.advanceTimersByTime(windowMs);
    expect(lines[1]).toBe("tsgrpc: the handler of /pkg.Users/CreateUser failed 1,932 more times with TypeError in the last 10 s");
    log.report("/pkg.Users/CreateUser", new TypeError("again"));
    jest.advanceTimersByTime(windowMs);
    expect(lines[2]).toBe("tsgrpc: the handler of /pkg.Users/CreateUser failed 1 more time with TypeError in the last 10 s");
    jest.advanceTimersByTime(windowMs);
    expect(lines).toHaveLength(3);
    log.close();
  });

  test("each method and error class is its own kind", () => {
    const log = new HandlerErrorLog(logger, 10);
    log.report("/a/M", new TypeError("t"));
    log.report("/a/M", new RangeError("r"));
    log.report("/a/N", new TypeError("t"));
    log.report("/a/M", "text");
    log.report("/a/M", "more text");
    expect(lines).toEqual([
      full("/a/M", "TypeError: t"),
      full("/a/M", "RangeError: r"),
      full("/a/N", "TypeError: t"),
      "tsgrpc: the handler of /a/M failed: text",
    ]);
    log.close();
    expect(lines[4]).toBe("tsgrpc: the handler of /a/M failed 1 more time with string in the last 10 s");
  });

  test("a kind quiet for a whole window is forgotten: its next error is logged in full; the timer runs only while kinds are tracked", () => {
    const log = new HandlerErrorLog(logger, 10);
    expect(jest.getTimerCount()).toBe(0);
    log.report("/a/M", new TypeError("first"));
    expect(jest.getTimerCount()).toBe(1);
    // Kept through the window it was logged in (however late in it), forgotten after a quiet one.
    jest.advanceTimersByTime(windowMs);
    log.report("/a/M", new TypeError("counted"));
    jest.advanceTimersByTime(windowMs);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(windowMs);
    expect(jest.getTimerCount()).toBe(0);
    log.report("/a/M", new TypeError("in full again"));
    expect(lines).toEqual([
      full("/a/M", "TypeError: first"),
      "tsgrpc: the handler of /a/M failed 1 more time with TypeError in the last 10 s",
      full("/a/M", "TypeError: in full again"),
    ]);
    log.close();
  });

  test("tracks at most maxKinds kinds; errors of further kinds share one count", () => {
    const log = new HandlerErrorLog(logger, 10, 2);
    log.report("/a/A", new Error("a"));
    log.report("/a/B", new Error("b"));
    log.report("/a/C", new Error("c"));
    log.report("/a/D", new Error("d"));
    log.report("/a/E", new TypeError("e"));
    log.report("/a/A", new Error("a"));
    expect(lines).toEqual([full("/a/A", "Error: a"), full("/a/B", "Error: b"), full("/a/C", "Error: c")]);
    jest.advanceTimersByTime(windowMs);
    expect(lines.slice(3)).toEqual([
      "tsgrpc: the handler of /a/A failed 1 more time with Error in the last 10 s",
      "tsgrpc: handlers failed 2 more times in the last 10 s with other errors (more than 2 kinds of method and error class at once)",
    ]);
    log.close();
  });

  test("close() logs the pending counts and clears the timer; later errors are logged in full", () => {
    const log = new HandlerErrorLog(logger, 10);
    for (let i = 0; i < 3; i++) log.report("/a/M", new TypeError(`t${i}`), "hook");
    log.close();
    expect(jest.getTimerCount()).toBe(0);
    log.report("/a/M", new TypeError("late 1"));
    log.report("/a/M", new TypeError("late 2"));
    expect(jest.getTimerCount()).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^tsgrpc: the onHandlerError hook for \/a\/M failed: TypeError: t0\n/),
      "tsgrpc: the onHandlerError hook for /a/M failed 2 more times with TypeError in the last 10 s",
      full("/a/M", "TypeError: late 1"),
      full("/a/M", "TypeError: late 2"),
    ]);
  });

  test("window 0 logs every error in full, a null logger nothing; neither starts a timer", () => {
    const every = new HandlerErrorLog(logger, 0);
    const none = new HandlerErrorLog(null, 10);
    for (let i = 0; i < 3; i++) {
      every.report("/a/M", new TypeError(`t${i}`));
      none.report("/a/M", new TypeError(`t${i}`));
    }
    expect(lines).toEqual([full("/a/M", "TypeError: t0"), full("/a/M", "TypeError: t1"), full("/a/M", "TypeError: t2")]);
    expect(jest.getTimerCount()).toBe(0);
  });

  test("a logger that throws becomes a process warning, not an exception", () => {
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const log = new HandlerErrorLog(
        {
          error() {
            throw new Error("disk full");
          },
        },
        0,
      );
      expect(() => log.report("/a/M", "boom")).not.toThrow();
      expect(String(warnings.mock.calls[0]?.[0])).toMatch(
        /^tsgrpc: the server's logger threw: Error: disk full\n[\s\S]*\(while writing: tsgrpc: the handler of \/a\/M failed: boom\)$/,
      );
    } finally {
      warnings.mockRestore();
    }
  });
});
