import { constants } from "node:buffer";
import * as zlib from "node:zlib";
import { Compression } from "../core/compression.js";
import { StatusCode } from "../core/status-code.js";
import { FramingError } from "./message-framing.js";

// Message compression (grpc/grpc doc/compression.md): `grpc-encoding` names the algorithm of a
// call's compressed messages, each message's flag says whether it is compressed, and
// `grpc-accept-encoding` lists what a peer can read. gRPC's "deflate" is the zlib format (RFC 1950).

/** The encodings this runtime reads and writes. */
export type MessageEncoding = "gzip" | "deflate";

/**
 * What the server lists in `grpc-accept-encoding`. Without spaces, as grpc-js writes it: grpc-js
 * clients split the header on "," without trimming, and stop compressing on a channel whose server
 * wrote C-core's "identity, deflate, gzip" (docs/interop.md).
 */
export const acceptEncodingHeader = "identity,deflate,gzip";

/**
 * gzip and deflate level 1: measured on a 1.1 MB message of JSON-like user records, level 1 ran at
 * 266 MB/s for a ratio of 0.129, level 6 (zlib's default) at 124 MB/s for 0.109, level 9 at 36 MB/s
 * for 0.108; on 1 KB every level took 16–26 µs for 0.26–0.27. Throughput wins for an RPC.
 */
export const compressionLevel = 1;

/**
 * Messages shorter than this go out uncompressed even on a compressed call (their flag clear,
 * which every peer reads): measured, gzip makes a 100-byte message 2% larger for 8–16 µs of CPU.
 */
export const minCompressedMessageBytes = 256;

/** Messages up to this size are (de)compressed on the event loop; larger ones on libuv's thread pool. */
export const syncCompressionBytes = 64 * 1024;

/** The encoding of a `Compression` setting; null for none. */
export function messageEncodingOf(compression: Compression): MessageEncoding | null {
  return compression === Compression.Gzip ? "gzip" : compression === Compression.Deflate ? "deflate" : null;
}

/** The encoding a `grpc-encoding` value names; `identity` (or none) is null; an unknown name is undefined. */
export function parseMessageEncoding(value: string | undefined): MessageEncoding | null | undefined {
  if (value === undefined || value === "identity") return null;
  return value === "gzip" || value === "deflate" ? value : undefined;
}

/** Whether a `grpc-accept-encoding` value (names separated by commas, spaces allowed) lists `encoding`. */
export function acceptsEncoding(acceptEncoding: string | undefined, encoding: MessageEncoding): boolean {
  if (acceptEncoding === undefined) return false;
  for (const name of acceptEncoding.split(",")) if (name.trim() === encoding) return true;
  return false;
}

/** `data` compressed with `encoding`, on the event loop. */
export function compressSync(encoding: MessageEncoding, data: Uint8Array): Uint8Array {
  const options = { level: compressionLevel };
  return encoding === "gzip" ? zlib.gzipSync(data, options) : zlib.deflateSync(data, options);
}

/** `data` compressed with `encoding`, on libuv's thread pool. */
export function compress(encoding: MessageEncoding, data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer) => (error === null ? resolve(result) : reject(error));
    const options = { level: compressionLevel };
    if (encoding === "gzip") zlib.gzip(data, options, done);
    else zlib.deflate(data, options, done);
  });
}

/**
 * `data` inflated, never past `maxLength` bytes (zlib stops there: a gzip bomb allocates no more
 * than the limit), or the error that ends the RPC: RESOURCE_EXHAUSTED past the limit, INTERNAL for
 * a body that does not inflate. Small messages inflate on the event loop, large ones on libuv's
 * thread pool.
 */
export function decompress(
  encoding: MessageEncoding,
  data: Uint8Array,
  maxLength: number,
): Uint8Array | FramingError | Promise<Uint8Array | FramingError> {
  // One byte past the limit, so that a message of exactly the limit is told from a larger one.
  const options = { maxOutputLength: Math.min(maxLength + 1, constants.MAX_LENGTH) };
  if (data.byteLength <= syncCompressionBytes) {
    try {
      return checked(encoding === "gzip" ? zlib.gunzipSync(data, options) : zlib.inflateSync(data, options), maxLength);
    } catch (error) {
      return inflateError(encoding, error, maxLength);
    }
  }
  return new Promise((resolve) => {
    const done = (error: Error | null, result: Buffer) =>
      resolve(error === null ? checked(result, maxLength) : inflateError(encoding, error, maxLength));
    if (encoding === "gzip") zlib.gunzip(data, options, done);
    else zlib.inflate(data, options, done);
  });
}

function checked(result: Buffer, maxLength: number): Uint8Array | FramingError {
  if (result.byteLength > maxLength) return tooLarge(maxLength);
  return result;
}

function inflateError(encoding: MessageEncoding, error: unknown, maxLength: number): FramingError {
  if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return tooLarge(maxLength);
  // zlib's errors are Errors, but from Node's own realm (instanceof fails in a vm context, e.g. jest).
  const why = typeof (error as { message?: unknown }).message === "string" ? (error as { message: string }).message : String(error);
  return new FramingError(StatusCode.INTERNAL, `Failed to decompress a ${encoding} message: ${why}`);
}

function tooLarge(maxLength: number): FramingError {
  return new FramingError(
    StatusCode.RESOURCE_EXHAUSTED,
    `Received message larger than max (more than ${maxLength} bytes once decompressed)`,
  );
}
