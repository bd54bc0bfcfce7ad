import { isIPv6, type Socket } from "node:net";
import type { PeerCertificate, TLSSocket } from "node:tls";
import { insecurePeerAuth } from "../transport/insecure-peer-auth.js";
import type { PeerAuth } from "../transport/transport.js";

/** A connection's remote end as grpcio writes a peer: `ipv4:127.0.0.1:45902`, `ipv6:[::1]:45902`. */
export function grpcioPeer(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return "unknown";
  return isIPv6(address) ? `ipv6:[${address}]:${port}` : `ipv4:${address}:${port}`;
}

const encoder = new TextEncoder();
const text = (s: string) => encoder.encode(s);

/** What a socket tells of its peer, as grpcio's `auth_context()` and `peer_identity_key()` give it. */
export function socketPeerAuth(socket: Socket): PeerAuth {
  const tls = socket as Partial<TLSSocket>;
  if (tls.encrypted !== true || tls.getPeerCertificate === undefined) return insecurePeerAuth();
  const certificate = tls.getPeerCertificate.call(socket, false);
  return peerAuth(true, certificate);
}

/** A peer's auth context from whether its connection is encrypted and the certificate it showed (empty: none). */
export function peerAuth(encrypted: boolean, certificate: PeerCertificate | undefined): PeerAuth {
  if (!encrypted) return insecurePeerAuth();
  const properties: Record<string, Uint8Array[]> = {
    transport_security_type: [text("ssl")],
    security_level: [text("TSI_PRIVACY_AND_INTEGRITY")],
  };
  // Node gives an empty object when the peer showed no certificate.
  if (certificate?.raw === undefined) return { properties, identityKey: null };
  const commonName = certificate.subject?.CN;
  if (commonName) properties.x509_common_name = [text(String(commonName))];
  const alternativeNames = (certificate.subjectaltname ?? "")
    .split(",")
    .map((name: string) => name.trim().replace(/^[A-Za-z ]+:/, ""))
    .filter((name: string) => name.length > 0);
  if (alternativeNames.length > 0) properties.x509_subject_alternative_name = alternativeNames.map(text);
  properties.x509_pem_cert = [text(`-----BEGIN CERTIFICATE-----\n${certificate.raw.toString("base64")}\n-----END CERTIFICATE-----\n`)];
  // C-core names the peer by its subject alternative names when it has any, else its common name.
  const identityKey = alternativeNames.length > 0 ? "x509_subject_alternative_name" : commonName ? "x509_common_name" : null;
  return { properties, identityKey };
}
