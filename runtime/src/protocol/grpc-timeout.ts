// `grpc-timeout` (PROTOCOL-HTTP2.md: TimeoutValue TimeoutUnit, at most 8 digits, units H M S m u n),
// read as grpcio (C-core) reads it: spaces around the parts are allowed, up to 1,000,000,000 is
// honoured, a larger number means no deadline, anything else is malformed (and a server ignores it).

const unitMs: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/** The largest value C-core reads as given; past it, the timeout is infinite. */
const largestValue = 1_000_000_000;

/**
 * The timeout in milliseconds (fractions for u and n; Infinity for a value too large to matter),
 * or an Error value saying why `value` is malformed.
 */
export function parseGrpcTimeout(value: string): number | Error {
  const match = /^ *(\d+) *([HMSmun]) *$/.exec(value);
  if (match === null) return new Error(`malformed grpc-timeout ${JSON.stringify(value)}`);
  const digits = (match[1] as string).replace(/^0+(?=\d)/, "");
  const amount = digits.length > 10 ? Number.POSITIVE_INFINITY : Number(digits);
  if (amount > largestValue) return Number.POSITIVE_INFINITY;
  return amount * (unitMs[match[2] as string] as number);
}

/** A timeout in milliseconds as a `grpc-timeout` value of at most 8 digits, in the finest unit that holds it. */
export function encodeGrpcTimeout(timeoutMs: number): string {
  const ms = Math.max(0, timeoutMs);
  for (const [unit, perUnitMs] of [
    ["n", 1e-6],
    ["u", 1e-3],
    ["m", 1],
    ["S", 1000],
    ["M", 60_000],
  ] as const) {
    const amount = Math.ceil(ms / perUnitMs);
    if (amount < 1e8) return `${amount}${unit}`;
  }
  return `${Math.min(99_999_999, Math.ceil(ms / 3_600_000))}H`;
}
