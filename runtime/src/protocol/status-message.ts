import { StatusCode } from "../core/status-code.js";

// `grpc-status` and `grpc-message` (PROTOCOL-HTTP2.md, "Responses"): the message is UTF-8,
// percent-encoded except for printable ASCII other than "%"; a decoder must never fail on it.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const hex = "0123456789ABCDEF";

/** `details` as a `grpc-message` value. */
export function encodeGrpcMessage(details: string): string {
  if (/^[\x20-\x24\x26-\x7e]*$/.test(details)) return details;
  let out = "";
  for (const byte of encoder.encode(details)) {
    if (byte >= 0x20 && byte <= 0x7e && byte !== 0x25) out += String.fromCharCode(byte);
    else out += `%${hex[byte >> 4]}${hex[byte & 15]}`;
  }
  return out;
}

/** A `grpc-message` value as text: a `%` not followed by two hex digits stays as it is, bad UTF-8 becomes U+FFFD. */
export function decodeGrpcMessage(value: string): string {
  if (!value.includes("%")) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const pair = value.slice(i + 1, i + 3);
    if (code === 0x25 && /^[0-9A-Fa-f]{2}$/.test(pair)) {
      bytes.push(Number.parseInt(pair, 16));
      i += 2;
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      bytes.push(...encoder.encode(value[i] as string));
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** A `grpc-status` value as a code: a number outside 0–16, or no number, is UNKNOWN (as grpc-js and C-core read it). */
export function parseGrpcStatus(value: string | undefined): StatusCode {
  if (value === undefined || !/^\d{1,2}$/.test(value)) return StatusCode.UNKNOWN;
  const code = Number(value);
  return code <= 16 ? (code as StatusCode) : StatusCode.UNKNOWN;
}
