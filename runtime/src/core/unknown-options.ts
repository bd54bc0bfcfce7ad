import { closest, distance } from "fastest-levenshtein";

/**
 * Throws a TypeError naming every key of `given` that is not in `known`, with the nearest valid
 * name when one is within two edits (a typo, a swapped or missing letter), and listing the valid
 * ones: a misspelt option is refused rather than silently ignored. `what` is e.g. "server option".
 */
export function refuseUnknownOptions(what: string, given: object, known: readonly string[]): void {
  const unknown = Object.keys(given).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const named = unknown.map((key) => {
    const nearest = closest(key, [...known]);
    return distance(key, nearest) <= 2 ? `"${key}" (did you mean "${nearest}"?)` : `"${key}"`;
  });
  throw new TypeError(`Unknown ${what} ${named.join(", ")}: the valid ones are ${known.join(", ")}`);
}
