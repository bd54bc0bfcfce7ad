import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Channel, type ClientTransportName, insecureChannel, secureChannel, sslChannelCredentials } from "@tsgrpc/runtime";

/** Where the interop server's `--use_tls` writes its CA, and the client's `--use_test_ca` reads it. */
export const defaultCaFile = join(tmpdir(), "tsgrpc-interop-ca.pem");

/** How the interop client reaches a server (the interop client's flags). */
export interface InteropTarget {
  host: string;
  port: number;
  /** TLS instead of plaintext. */
  useTls?: boolean;
  /** With TLS: trust this CA (PEM) instead of the system's roots (`--use_test_ca`). */
  testCa?: Buffer | undefined;
  /** With TLS: the name the server's certificate must carry, if not `host`. */
  hostOverride?: string | undefined;
  /** The client transport (the runtime's default if not given). */
  transport?: ClientTransportName | undefined;
}

/** A tsgrpc channel to an interop server. */
export function interopChannel(target: InteropTarget): Channel {
  const address = target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  const transport = target.transport === undefined ? {} : { transport: target.transport };
  if (!target.useTls) return insecureChannel(address, transport);
  const credentials = sslChannelCredentials(target.testCa ? { rootCertificates: target.testCa } : {});
  return secureChannel(address, credentials, {
    ...transport,
    ...(target.hostOverride ? { sslTargetNameOverride: target.hostOverride } : {}),
  });
}
