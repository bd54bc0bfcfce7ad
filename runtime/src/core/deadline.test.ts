import { deadlinePassed, maxTimerMs, resolveDeadline, secondsUntil, timeoutToMs } from "./deadline.js";

describe("resolveDeadline", () => {
  it("is null without timeout or deadline", () => {
    expect(resolveDeadline({})).toBeNull();
  });

  it("turns a timeout in seconds into an absolute deadline", () => {
    const before = Date.now();
    const deadline = resolveDeadline({ timeout: 1.5 });
    expect(deadline!.getTime()).toBeGreaterThanOrEqual(before + 1500);
    expect(deadline!.getTime()).toBeLessThanOrEqual(Date.now() + 1500);
  });

  it("takes the earlier of timeout, deadline and parent", () => {
    const soon = new Date(Date.now() + 100);
    expect(resolveDeadline({ timeout: 10, deadline: soon })).toEqual(soon);
    expect(resolveDeadline({ timeout: 10, parent: soon })).toEqual(soon);
    const t = resolveDeadline({ timeout: 0.01, deadline: new Date(Date.now() + 60_000) });
    expect(t!.getTime()).toBeLessThan(Date.now() + 1000);
  });

  it("gives a deadline in the past for a negative timeout", () => {
    expect(resolveDeadline({ timeout: -1 })!.getTime()).toBeLessThan(Date.now());
  });

  it("rejects a timeout that is not a number and an invalid Date", () => {
    expect(() => resolveDeadline({ timeout: Number.NaN })).toThrow(/seconds/);
    expect(() => resolveDeadline({ deadline: new Date("nope") })).toThrow(/valid Date/);
  });
});

describe("secondsUntil and timeoutToMs", () => {
  it("never goes negative and is null without a deadline", () => {
    expect(secondsUntil(null)).toBeNull();
    expect(secondsUntil(new Date(Date.now() - 1000))).toBe(0);
    expect(secondsUntil(new Date(Date.now() + 2000))).toBeGreaterThan(1.9);
  });

  it("clamps timers to what Node can schedule", () => {
    expect(timeoutToMs(1e12)).toBe(maxTimerMs);
    expect(timeoutToMs(-5)).toBe(0);
    expect(timeoutToMs(0.0015)).toBe(2);
  });
});

describe("deadlinePassed", () => {
  it.each([
    ["no deadline", null, 0, false],
    ["a deadline a second ago", -1000, 0, true],
    ["a deadline a second away", 1000, 0, false],
    ["a deadline 3 ms away, 5 ms of slack", 3, 5, true],
    ["a deadline 50 ms away, 5 ms of slack", 50, 5, false],
  ])("%s", (_case, inMs, slackMs, passed) => {
    const deadline = inMs === null ? null : new Date(Date.now() + inMs);
    expect(deadlinePassed(deadline, slackMs)).toBe(passed);
  });
});
