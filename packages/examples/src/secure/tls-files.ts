import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A private key and the certificate chain that goes with it, PEM-encoded. */
export interface KeyPair {
  privateKey: Uint8Array;
  certificateChain: Uint8Array;
}

/** The TLS material of the secure example, as `scripts/make-certs.sh` writes it. */
export interface TlsFiles {
  /** The CA certificate both sides trust. */
  ca: Uint8Array;
  /** The server's key and certificate (for `localhost` and `127.0.0.1`). */
  server: KeyPair;
  /** The client's key and certificate (CN `users-client`), for mutual TLS. */
  client: KeyPair;
}

/** Reads `ca.pem`, `server.{key,pem}` and `client.{key,pem}` from `dir`. */
export function readTlsFiles(dir: string): TlsFiles {
  const read = (name: string) => readFileSync(join(dir, name));
  const pair = (name: string): KeyPair => ({ privateKey: read(`${name}.key`), certificateChain: read(`${name}.pem`) });
  return { ca: read("ca.pem"), server: pair("server"), client: pair("client") };
}

/**
 * Runs `script` (the package's `scripts/make-certs.sh`, openssl) to write fresh TLS material into
 * `dir`: the example makes its certificates at run time, so no private key is ever committed.
 */
export function makeCertificates(script: string, dir: string): void {
  execFileSync("sh", [script, dir], { stdio: ["ignore", "ignore", "inherit"] });
}
