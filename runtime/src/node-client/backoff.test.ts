import { ConnectionBackoff, minConnectTimeoutMs } from "./backoff.js";

describe("ConnectionBackoff (grpc's connection-backoff.md)", () => {
  it("grows by 1.6 up to the maximum, each wait within ±20%, and starts over after reset()", () => {
    const backoff = new ConnectionBackoff(1000, 120_000);
    const bases = [1000, 1600, 2560, 4096, 6553.6];
    for (const base of bases) {
      const wait = backoff.next();
      expect(wait).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
      expect(wait).toBeLessThanOrEqual(Math.ceil(base * 1.2));
    }
    for (let i = 0; i < 20; i++) backoff.next();
    expect(backoff.next()).toBeLessThanOrEqual(120_000 * 1.2);
    expect(backoff.next()).toBeGreaterThanOrEqual(120_000 * 0.8);
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(1200);
  });

  it("gives each attempt at least 20 s to connect, or the current backoff when longer", () => {
    expect(new ConnectionBackoff(1000, 120_000).connectTimeoutMs()).toBe(minConnectTimeoutMs);
    expect(new ConnectionBackoff(60_000, 120_000).connectTimeoutMs()).toBe(60_000);
  });
});
