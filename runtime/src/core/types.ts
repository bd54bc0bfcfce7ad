import type { RequestWithOptions } from "./write-options.js";

/** A value, or a Promise of it: what unary handlers may return. */
export type MaybePromise<T> = T | Promise<T>;

/** Whether `x` is a promise or any other thenable: what the runtime awaits, and nothing else. */
export function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return typeof x === "object" && x !== null && typeof (x as { then?: unknown }).then === "function";
}

/** What streaming handlers may return or be: any sync or async iterable, generators included. */
export type ResponseIterable<T> = Iterable<T> | AsyncIterable<T>;

/**
 * Requests of a client-streaming or bidi call: any sync or async iterable. An element may carry
 * write options (`withWriteOptions(request, { noCompress: true })`).
 */
export type RequestIterable<T> = Iterable<T | RequestWithOptions<T>> | AsyncIterable<T | RequestWithOptions<T>>;
