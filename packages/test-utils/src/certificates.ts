import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A private key and its certificate, PEM-encoded. */
export interface KeyAndCertificate {
  privateKey: Buffer;
  certificateChain: Buffer;
}

/** Fresh TLS material for tests: a CA, a server certificate it signed, and a client certificate. */
export interface TestCertificates {
  /** The CA's certificate (trust it as `rootCertificates`). */
  ca: Buffer;
  /** For `localhost` and `127.0.0.1`, signed by `ca`. */
  server: KeyAndCertificate;
  /** Common name `test-client`, signed by `ca`, for mutual TLS. */
  client: KeyAndCertificate;
  /** A CA no certificate here chains to: trusting it must fail the handshake. */
  otherCa: Buffer;
}

/**
 * Generates certificates with the `openssl` CLI in a temporary directory (removed again), so no
 * private key is ever committed. EC P-256 keys keep it fast (~100 ms).
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "tsgrpc-certs-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const read = (name: string) => readFileSync(join(dir, name));
  try {
    const newKey = (name: string) => openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name);
    const selfSignedCa = (name: string, cn: string) => {
      newKey(`${name}.key`);
      openssl("req", "-x509", "-new", "-key", `${name}.key`, "-subj", `/CN=${cn}`, "-days", "2", "-out", `${name}.pem`);
    };
    const signed = (name: string, cn: string, extensions: string) => {
      newKey(`${name}.key`);
      openssl("req", "-new", "-key", `${name}.key`, "-subj", `/CN=${cn}`, "-out", `${name}.csr`);
      writeFileSync(join(dir, `${name}.ext`), extensions);
      openssl(
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.pem`,
      );
      return { privateKey: read(`${name}.key`), certificateChain: read(`${name}.pem`) };
    };
    selfSignedCa("ca", "tsgrpc test CA");
    selfSignedCa("other", "tsgrpc untrusted CA");
    const server = signed(
      "server",
      "localhost",
      "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    );
    const client = signed("client", "test-client", "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
    return { ca: read("ca.pem"), server, client, otherCa: read("other.pem") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
