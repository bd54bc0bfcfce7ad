import { closest, distance } from "fastest-levenshtein";

/**
 * ` (did you mean "--import-extension"?)` when one of `known` is within two edits of `word` (a
 * typo, a swapped or missing letter), else "". `show` writes a name as the user would type it.
 */
export function didYouMean(word: string, known: readonly string[], show: (name: string) => string = (name) => name): string {
  if (known.length === 0) return "";
  const nearest = closest(word, [...known]);
  return distance(word, nearest) <= 2 ? ` (did you mean "${show(nearest)}"?)` : "";
}
