import { addressLabel, type SocketAddress } from "./target.js";

// Why a connection could not be made or was lost, in plain words naming the address (never a
// timestamp, never an empty note): these texts are what a failed call's details say.

const socketErrors: Record<string, string> = {
  ECONNREFUSED: "connection refused by",
  ECONNRESET: "connection reset by",
  EHOSTUNREACH: "no route to",
  ENETUNREACH: "network unreachable for",
  ETIMEDOUT: "connection timed out to",
  EPIPE: "connection closed by",
  ENOENT: "no socket at",
  EACCES: "permission denied for",
};

const certificateErrors: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed and not among the trusted roots",
  SELF_SIGNED_CERT_IN_CHAIN: "the certificate chain ends in a root that is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate is not signed by a trusted root",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate is not signed by a trusted root",
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not valid yet",
};

/** The words for `error`, met connecting to (or connected to) `address`. */
export function describeConnectionError(error: unknown, address: SocketAddress): string {
  const at = addressLabel(address);
  const { code, message, reason, cert } = error as { code?: string; message?: string; reason?: string; cert?: { subjectaltname?: string } };
  if (code !== undefined && code in socketErrors) return `${socketErrors[code]} ${at}`;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const wanted = /Host: (\S+?)\.? is not/.exec(reason ?? message ?? "")?.[1] ?? /IP: (\S+?) is not/.exec(reason ?? "")?.[1];
    const names = (cert?.subjectaltname ?? "").replace(/(DNS|IP Address):/g, "").trim();
    return `TLS with ${at}: the certificate is for ${names || "other names"}, not ${wanted ?? "the name asked for"}`;
  }
  if (code !== undefined && code in certificateErrors) return `TLS with ${at}: ${certificateErrors[code]} (${code})`;
  if (code?.startsWith("ERR_SSL_") || /SSL routines|wrong version number|packet length too long/.test(message ?? "")) {
    return `TLS handshake with ${at} failed (is it a plaintext port?): ${message}`;
  }
  return `connection to ${at} failed: ${message ?? String(error)}`;
}
