import { deferred } from "@tsgrpc/test-utils";
import { FutureCancelledError, FutureTimeoutError } from "./future.js";
import { type Outcome, OutcomeFuture } from "./outcome-future.js";

/** An OutcomeFuture whose outcome the test settles, counting what cancelling did. */
class TestFuture extends OutcomeFuture<number> {
  onCancels = 0;
  protected onCancel(): void {
    this.onCancels++;
  }
}

function pending() {
  const outcome = deferred<Outcome<number, Error>>();
  return { outcome, future: new TestFuture(outcome.promise, "the sum") };
}

describe("OutcomeFuture", () => {
  it("gives the value to result(), await and then(); exception() is null; done-callbacks run once, late ones at once", async () => {
    const { outcome, future } = pending();
    const seen: string[] = [];
    future.addDoneCallback((f) => seen.push(`early ${f.done()}`));
    expect([future.running(), future.done(), future.cancelled()]).toEqual([true, false, false]);
    outcome.resolve({ ok: true, value: 42 });
    await expect(future.result()).resolves.toBe(42);
    await expect(future).resolves.toBe(42);
    await expect(future.exception()).resolves.toBeNull();
    future.addDoneCallback(() => seen.push("late"));
    expect(seen).toEqual(["early true", "late"]);
    expect([future.running(), future.done()]).toEqual([false, true]);
    expect(future.cancel()).toBe(false);
    expect(future.onCancels).toBe(0);
  });

  it("rejects result() with the error, which exception() returns", async () => {
    const { outcome, future } = pending();
    const error = new RangeError("too big");
    outcome.resolve({ ok: false, error });
    await expect(future.result()).rejects.toBe(error);
    await expect(future.exception()).resolves.toBe(error);
  });

  it("settles at once when cancelled: FutureCancelledError naming it, done-callbacks run, onCancel once", async () => {
    const { outcome, future } = pending();
    const seen: boolean[] = [];
    future.addDoneCallback((f) => seen.push(f.cancelled()));
    const waiting = future.result();
    expect(future.cancel()).toBe(true);
    expect([future.cancelled(), future.done(), future.running()]).toEqual([true, true, false]);
    expect(seen).toEqual([true]);
    await expect(waiting).rejects.toThrow(new FutureCancelledError("the sum was cancelled"));
    expect(future.cancel()).toBe(false);
    // What the computation does afterwards changes nothing.
    outcome.resolve({ ok: true, value: 1 });
    await expect(future.exception()).rejects.toBeInstanceOf(FutureCancelledError);
    expect(seen).toEqual([true]);
    expect(future.onCancels).toBe(1);
  });

  it("gives up waiting after the timeout with FutureTimeoutError, and is still running", async () => {
    const { future } = pending();
    await expect(future.result({ timeout: 0.01 })).rejects.toBeInstanceOf(FutureTimeoutError);
    await expect(future.exception({ timeout: 0.01 })).rejects.toBeInstanceOf(FutureTimeoutError);
    expect(future.running()).toBe(true);
    future.cancel();
  });
});
