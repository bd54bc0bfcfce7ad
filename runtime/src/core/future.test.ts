import { DoneCallbacks, FutureTimeoutError, waitWithTimeout } from "./future.js";

describe("DoneCallbacks", () => {
  it("runs pending callbacks once, late ones at once, and reports what they throw", () => {
    const calls: string[] = [];
    const warn = jest.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const callbacks = new DoneCallbacks();
      callbacks.add(() => calls.push("a"));
      callbacks.add(() => {
        throw new Error("boom");
      });
      expect(callbacks.done).toBe(false);
      callbacks.run();
      callbacks.run();
      callbacks.add(() => calls.push("late"));
      expect(calls).toEqual(["a", "late"]);
      expect(callbacks.done).toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("boom"));
    } finally {
      warn.mockRestore();
    }
  });
});

describe("waitWithTimeout", () => {
  it("gives up with FutureTimeoutError, and waits forever without a timeout", async () => {
    await expect(waitWithTimeout(new Promise(() => {}), 0.01)).rejects.toBeInstanceOf(FutureTimeoutError);
    await expect(waitWithTimeout(Promise.resolve(7), undefined)).resolves.toBe(7);
  });
});
