import type { PeerAuth } from "./transport.js";

const encoder = new TextEncoder();

/** The auth context of a connection without TLS, as grpcio gives it (a new object each time: handlers may hold it). */
export function insecurePeerAuth(): PeerAuth {
  return {
    properties: { transport_security_type: [encoder.encode("insecure")], security_level: [encoder.encode("TSI_SECURITY_NONE")] },
    identityKey: null,
  };
}
