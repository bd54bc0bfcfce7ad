/** A metadata value: text for ordinary keys, bytes for keys ending in `-bin`. */
export type MetadataValue = string | Uint8Array;

/** Anything `new Metadata(init)` accepts: metadata, `[key, value]` pairs, or a record. */
export type MetadataInit = Metadata | Iterable<readonly [string, MetadataValue]> | Record<string, MetadataValue | readonly MetadataValue[]>;

/**
 * Adds an entry that arrived from the network without validating it: what a peer sent is kept as
 * it is, never dropped or turned into an exception deep inside a stream.
 */
export let addReceived: (md: Metadata, key: string, value: MetadataValue) => void;

const validKey = /^[0-9a-z_.-]+$/;
// Printable ASCII, as the gRPC HTTP/2 spec allows for ASCII values.
const validText = /^[\x20-\x7e]*$/;

/**
 * gRPC metadata: an ordered multimap from lower-case keys to values. Keys ending in `-bin` carry
 * `Uint8Array` values, all others printable-ASCII strings; anything else is rejected with a
 * `TypeError` when it is added, before it can reach the wire.
 *
 * It iterates as `[key, value]` pairs, so `Object.fromEntries(md)` and `new Map(md)` work like
 * `dict()` on grpcio metadata.
 *
 * @example
 * const md = new Metadata([["ip", "127.0.0.1"], ["trace-bin", new Uint8Array([1, 2])]]);
 * md.get("ip"); // "127.0.0.1"
 */
export class Metadata implements Iterable<[string, MetadataValue]> {
  readonly #entries = new Map<string, MetadataValue[]>();

  static {
    addReceived = (md, key, value) => {
      const values = md.#entries.get(key);
      if (values) values.push(value);
      else md.#entries.set(key, [value]);
    };
  }

  constructor(init?: MetadataInit) {
    if (init === undefined) return;
    if (init instanceof Metadata || isIterable(init)) {
      for (const [key, value] of init) this.add(key, value);
      return;
    }
    for (const [key, value] of Object.entries(init)) {
      for (const v of isValueList(value) ? value : [value]) this.add(key, v);
    }
  }

  /** The first value for `key`, or undefined. */
  get(key: string): MetadataValue | undefined {
    return this.#entries.get(key.toLowerCase())?.[0];
  }

  /** Every value for `key`, in the order they were added. */
  getAll(key: string): MetadataValue[] {
    return [...(this.#entries.get(key.toLowerCase()) ?? [])];
  }

  /** Whether `key` has any value (keys are case-insensitive). */
  has(key: string): boolean {
    return this.#entries.has(key.toLowerCase());
  }

  /** Replaces every value of `key` with `value`. */
  set(key: string, value: MetadataValue): void {
    const k = checkEntry(key, value);
    this.#entries.set(k, [value]);
  }

  /** Adds `value` after the existing values of `key`. */
  add(key: string, value: MetadataValue): void {
    const k = checkEntry(key, value);
    const values = this.#entries.get(k);
    if (values) values.push(value);
    else this.#entries.set(k, [value]);
  }

  /** Removes every value of `key`. */
  delete(key: string): void {
    this.#entries.delete(key.toLowerCase());
  }

  /** The distinct keys, in insertion order. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** How many values there are, over all keys. */
  get size(): number {
    let n = 0;
    for (const values of this.#entries.values()) n += values.length;
    return n;
  }

  /** Every `[key, value]` pair, keys in insertion order, each key's values in the order they were added. */
  *[Symbol.iterator](): Iterator<[string, MetadataValue]> {
    for (const [key, values] of this.#entries) {
      for (const value of values) yield [key, value];
    }
  }

  /** A copy of this metadata. */
  clone(): Metadata {
    return new Metadata(this);
  }

  /** Adds every entry of `other` to this metadata. */
  merge(other: MetadataInit): this {
    for (const [key, value] of toMetadata(other)) this.add(key, value);
    return this;
  }

  toString(): string {
    const parts = [...this].map(([k, v]) => `${k}: ${typeof v === "string" ? v : `<${v.byteLength} bytes>`}`);
    return `Metadata { ${parts.join(", ")} }`;
  }
}

/** `init` as a Metadata; a Metadata is returned as is, not copied. */
export function toMetadata(init: MetadataInit | undefined): Metadata {
  return init instanceof Metadata ? init : new Metadata(init);
}

function checkEntry(key: string, value: MetadataValue): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new TypeError(`Metadata key must be a non-empty string, got ${JSON.stringify(key)}`);
  }
  const k = key.toLowerCase();
  if (!validKey.test(k)) {
    throw new TypeError(`Metadata key "${key}" is invalid: keys may contain only 0-9 a-z _ . -`);
  }
  if (k.endsWith("-bin")) {
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(`Metadata key "${k}" ends in -bin, so its value must be a Uint8Array, got ${typeof value}`);
    }
  } else if (typeof value !== "string") {
    throw new TypeError(`Metadata key "${k}" needs a string value (only keys ending in -bin take bytes)`);
  } else if (!validText.test(value)) {
    throw new TypeError(`Metadata value of "${k}" must be printable ASCII; use a key ending in -bin for other data`);
  }
  return k;
}

function isIterable(x: object): x is Iterable<readonly [string, MetadataValue]> {
  return Symbol.iterator in x;
}

function isValueList(x: MetadataValue | readonly MetadataValue[]): x is readonly MetadataValue[] {
  return Array.isArray(x);
}

// Keys the transport owns: a user value would be ignored or corrupt the call.
const reservedKeys = new Set(["content-type", "te", "user-agent", "host", "grpc-timeout", "grpc-encoding"]);

/**
 * Throws a TypeError naming the first key of `md` that applications may not send: pseudo-headers,
 * transport headers and `grpc-*` keys (except `grpc-status-details-bin` in trailers, which
 * carries rich error details). `user-agent` is set with the channel option `primaryUserAgent`.
 */
export function assertSendable(md: Metadata, where: "request" | "response headers" | "trailers"): void {
  for (const key of md.keys()) {
    const allowedDetails = where === "trailers" && key === "grpc-status-details-bin";
    if (key.startsWith(":") || reservedKeys.has(key) || (key.startsWith("grpc-") && !allowedDetails)) {
      const hint = key === "user-agent" ? " (set the channel option primaryUserAgent instead)" : "";
      throw new TypeError(`Metadata key "${key}" is reserved for the gRPC transport and cannot be sent in ${where}${hint}`);
    }
  }
}
