import type { Writable } from "node:stream";
import type { WriteOptions } from "../core/write-options.js";

/** grpc-js's `WriteFlags.NoCompress` (call-interface.ts; its index does not export the enum). */
const noCompressFlag = 2;

/**
 * Writes one message to a grpc-js call stream, with the NoCompress flag when `options.noCompress`.
 * grpc-js takes a message's write flags from the `encoding` argument of `write()` (`Number(encoding)`
 * in its `_write`, client and server alike); its streams are in object mode, where Node passes the
 * argument through unchecked (Node 20, 22 and 24).
 */
export function writeMessage(stream: Writable, message: Buffer, options?: WriteOptions): boolean {
  return options?.noCompress ? stream.write(message, noCompressFlag as unknown as BufferEncoding) : stream.write(message);
}
