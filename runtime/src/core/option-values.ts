// Checks for the numeric and boolean options of server() and the channels, with the one wording
// their errors share: the option's name, what it takes, and what was given.

/** Seconds (a positive number, Infinity for none): `given`, or `fallback` when absent. */
export function secondsOption(name: string, given: number | undefined, fallback: number): number {
  const value = given ?? fallback;
  if (!(typeof value === "number" && value > 0)) {
    throw new RangeError(`${name} must be a positive number of seconds (or Infinity), got ${String(given)}`);
  }
  return value;
}

/** Bytes (0 or more; grpcio's -1 and Infinity mean no limit, returned as Infinity). */
export function bytesOption(name: string, given: number | undefined, fallback: number): number {
  const value = given ?? fallback;
  if (value === -1 || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`${name} must be a number of bytes (0 or more; -1 or Infinity for no limit), got ${String(given)}`);
  }
  return value;
}

/** A whole number, 0 or more. */
export function countOption(name: string, given: number | undefined, fallback: number): number {
  const value = given ?? fallback;
  if (!(Number.isSafeInteger(value) && value >= 0))
    throw new RangeError(`${name} must be a whole number (0 or more), got ${String(given)}`);
  return value;
}

/** true or false. */
export function flagOption(name: string, given: boolean | undefined, fallback: boolean): boolean {
  const value = given ?? fallback;
  if (typeof value !== "boolean") throw new TypeError(`${name} must be true or false, got ${String(given)}`);
  return value;
}
