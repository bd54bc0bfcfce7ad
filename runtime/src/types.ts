/** A value, or a Promise of it: what unary handlers may return. */
export type MaybePromise<T> = T | Promise<T>;

/** What streaming handlers may return or be: any sync or async iterable, generators included. */
export type ResponseIterable<T> = Iterable<T> | AsyncIterable<T>;

/** Requests of a client-streaming or bidi call: any sync or async iterable. */
export type RequestIterable<T> = Iterable<T> | AsyncIterable<T>;
