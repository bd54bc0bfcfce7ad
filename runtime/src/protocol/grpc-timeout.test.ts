import { encodeGrpcTimeout, parseGrpcTimeout } from "./grpc-timeout.js";

describe("parseGrpcTimeout", () => {
  it.each<[string, number]>([
    ["1H", 3_600_000],
    ["2M", 120_000],
    ["3S", 3000],
    ["4m", 4],
    ["5u", 0.005],
    ["6n", 0.000006],
    ["0S", 0],
    ["99999999S", 99_999_999_000],
    // C-core honours 9 digits (grpcio 1.51), and up to 1,000,000,000.
    ["123456789m", 123_456_789],
    ["1000000000n", 1000],
    ["00000001S", 1000],
    [" 1S", 1000],
    ["1 S ", 1000],
  ])("%p is %p ms", (value, ms) => {
    expect(parseGrpcTimeout(value)).toBeCloseTo(ms, 9);
  });

  it.each(["1000000001S", "99999999999999999999H"])("%p is past C-core's largest value: no deadline", (value) => {
    expect(parseGrpcTimeout(value)).toBe(Number.POSITIVE_INFINITY);
  });

  it.each(["", "S", "1", "-1S", "+1S", "1X", "1s", "1.5S", "1SS", "S1", "0x1S", "1\tS"])("%p is malformed", (value) => {
    const parsed = parseGrpcTimeout(value);
    expect(parsed).toBeInstanceOf(Error);
    expect((parsed as Error).message).toBe(`malformed grpc-timeout ${JSON.stringify(value)}`);
  });
});

describe("encodeGrpcTimeout", () => {
  it.each<[number, string]>([
    [0, "0n"],
    [-5, "0n"],
    [1, "1000000n"],
    [50, "50000000n"],
    [100, "100000u"],
    [5000, "5000000u"],
    [100_000, "100000m"],
    [100_000_000, "100000S"],
    [3_600_000 * 24 * 365 * 100, "52560000M"],
    [Number.MAX_SAFE_INTEGER, "99999999H"],
  ])("%p ms is %p", (ms, value) => {
    expect(encodeGrpcTimeout(ms)).toBe(value);
  });

  it("round-trips within a unit's precision", () => {
    for (const ms of [0.5, 7, 1234.5, 86_400_000]) {
      const back = parseGrpcTimeout(encodeGrpcTimeout(ms)) as number;
      expect(back).toBeGreaterThanOrEqual(ms);
      expect(back - ms).toBeLessThan(ms / 1e6 + 1e-6);
    }
  });
});
