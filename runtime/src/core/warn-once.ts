// Warnings given once per process, whichever build (ESM or CommonJS) gives them: the set lives on
// globalThis under a registered symbol, so that a dual load does not warn twice.
const key = Symbol.for("@tsgrpc/runtime/warnings-given");
const given: Set<string> = ((globalThis as { [key]?: Set<string> })[key] ??= new Set());

/** `process.emitWarning(message)`, unless this exact warning was given before. */
export function warnOnce(message: string): void {
  if (given.has(message)) return;
  given.add(message);
  process.emitWarning(message);
}
