const serverBrand = Symbol.for("@tsgrpc/runtime/ServerCredentials");

/** A TLS identity a server presents: a PEM private key and its PEM certificate chain. */
export interface KeyCertificatePair {
  /** The PEM private key. */
  readonly privateKey: Uint8Array;
  /** The PEM certificate chain, the server's own certificate first. */
  readonly certificateChain: Uint8Array;
}

/**
 * What a server asks of its clients' certificates: nothing (`"none"`, grpcio's default), or a
 * certificate signed by the server's `rootCertificates` (`"require"`, grpcio's `require_client_auth`).
 */
export type ClientCertificatePolicy = "none" | "require";

/**
 * Credentials of a server port (TLS, optionally requiring client certificates), as the caller gave
 * them: each server transport translates them when it binds. Make them with `sslServerCredentials`.
 */
export class ServerCredentials {
  /** The identities the server presents (Node picks by the client's key type and SNI). */
  readonly keyCertPairs: readonly KeyCertificatePair[];
  /** PEM CA certificates that client certificates are checked against; null: Node's default roots. */
  readonly rootCertificates: Uint8Array | null;
  /** Whether clients must present a certificate. */
  readonly clientCertificate: ClientCertificatePolicy;
  private constructor(
    keyCertPairs: readonly KeyCertificatePair[],
    rootCertificates: Uint8Array | null,
    clientCertificate: ClientCertificatePolicy,
  ) {
    this.keyCertPairs = keyCertPairs;
    this.rootCertificates = rootCertificates;
    this.clientCertificate = clientCertificate;
    Object.defineProperty(this, serverBrand, { value: true });
  }
  /** @internal use `sslServerCredentials`, which checks what it is given. */
  static of(
    keyCertPairs: readonly KeyCertificatePair[],
    rootCertificates: Uint8Array | null,
    clientCertificate: ClientCertificatePolicy,
  ): ServerCredentials {
    return new ServerCredentials(keyCertPairs, rootCertificates, clientCertificate);
  }
  /** Recognises an instance by its brand, so that `instanceof` holds across the ESM and CommonJS builds and duplicate installs. */
  static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && serverBrand in x;
  }
}

/**
 * TLS credentials for `server.addSecurePort`, like grpcio's `ssl_server_credentials`. With
 * `requireClientAuth`, clients must present a certificate signed by `rootCertificates`.
 *
 * @example
 * const creds = sslServerCredentials([{ privateKey: key, certificateChain: cert }]);
 * await srv.addSecurePort("[::]:50051", creds);
 */
export function sslServerCredentials(
  pairs: { privateKey: Uint8Array; certificateChain: Uint8Array }[],
  options: { rootCertificates?: Uint8Array; requireClientAuth?: boolean } = {},
): ServerCredentials {
  if (!Array.isArray(pairs) || pairs.length === 0) {
    throw new TypeError("sslServerCredentials needs at least one { privateKey, certificateChain } pair");
  }
  for (const [i, pair] of pairs.entries()) {
    if (!(pair?.privateKey instanceof Uint8Array && pair.certificateChain instanceof Uint8Array)) {
      throw new TypeError(`sslServerCredentials: pair ${i} needs privateKey and certificateChain as Uint8Arrays (PEM bytes)`);
    }
  }
  const requireClientAuth = options.requireClientAuth ?? false;
  if (requireClientAuth && options.rootCertificates === undefined) {
    throw new TypeError("sslServerCredentials: requireClientAuth needs rootCertificates to check client certificates with");
  }
  const keyCertPairs = pairs.map(({ privateKey, certificateChain }) => ({ privateKey, certificateChain }));
  return ServerCredentials.of(keyCertPairs, options.rootCertificates ?? null, requireClientAuth ? "require" : "none");
}
