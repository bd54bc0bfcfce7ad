import { addReceived, Metadata } from "../core/metadata.js";

// Custom-Metadata as HTTP/2 headers (PROTOCOL-HTTP2.md): keys ending in `-bin` carry base64
// (padded or not on receipt, sent unpadded), a key may repeat; `:` pseudo-headers, `grpc-*`,
// `te` and `content-type` belong to the protocol and are not metadata.

/** HPACK's size of one header (RFC 7541 §4.1): what a header-list limit counts. */
export function headerEntrySize(name: string, valueLength: number): number {
  return name.length + valueLength + 32;
}

/** Whether `name` belongs to the protocol rather than to the application's metadata. */
export function isReservedHeader(name: string): boolean {
  return name.startsWith(":") || name.startsWith("grpc-") || name === "te" || name === "content-type";
}

/**
 * The application's metadata in a header list as Node gives it raw (`[name, value, name, value…]`,
 * repeats kept apart). Kept as the peer sent it: nothing is dropped or raised over a bad value.
 * In `trailers`, `grpc-status-details-bin` (the rich status) is kept too, as grpcio keeps it.
 */
export function metadataFromRawHeaders(raw: readonly string[], trailers = false): Metadata {
  const metadata = new Metadata();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (isReservedHeader(name) && !(trailers && name === "grpc-status-details-bin")) continue;
    if (!name.endsWith("-bin")) addReceived(metadata, name, value);
    // A repeated -bin header may also arrive joined by commas, each part base64 of its own.
    else for (const part of value.split(",")) addReceived(metadata, name, decodeBase64(part.trim()));
  }
  return metadata;
}

/** `metadata` as headers for Node's HTTP/2 (`respond`, `sendTrailers`): a repeated key as an array. */
export function metadataToHeaders<H extends Record<string, string | number | string[]>>(metadata: Metadata, into: H = {} as H): H {
  for (const [key, value] of metadata) {
    const text = typeof value === "string" ? value : encodeBase64Unpadded(value);
    const existing = into[key];
    if (existing === undefined) (into as Record<string, unknown>)[key] = text;
    else if (Array.isArray(existing)) existing.push(text);
    else (into as Record<string, unknown>)[key] = [existing, text];
  }
  return into;
}

function decodeBase64(text: string): Uint8Array {
  // Buffer reads padded and unpadded base64 alike, and skips what is not base64.
  return Buffer.from(text, "base64");
}

function encodeBase64Unpadded(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64").replace(/=+$/, "");
}
