import * as grpc from "@grpc/grpc-js";
import { addReceived, Metadata } from "../core/metadata.js";

/** Our Metadata as grpc-js metadata; byte values are shared, not copied. */
export function toGrpcMetadata(md: Metadata, options?: grpc.MetadataOptions): grpc.Metadata {
  const out = new grpc.Metadata(options);
  for (const [key, value] of md) {
    out.add(key, typeof value === "string" ? value : asBuffer(value));
  }
  return out;
}

/** grpc-js metadata as ours, kept exactly as received. */
export function fromGrpcMetadata(md: grpc.Metadata | null | undefined): Metadata {
  const out = new Metadata();
  if (!md) return out;
  for (const [key, values] of Object.entries(md.toJSON())) {
    for (const value of values) addReceived(out, key, value);
  }
  return out;
}

/** A Buffer view of `bytes` (no copy): grpc-js wants Buffers. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
