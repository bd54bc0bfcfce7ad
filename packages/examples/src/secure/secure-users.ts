import { type Channel, type Server, secureChannel, server, sslChannelCredentials, sslServerCredentials } from "@tsgrpc/runtime";
import { addUsersServicerToServer, type UsersServicer } from "../gen/users/users_grpc.js";
import { UsersService } from "../users/users-service.js";
import type { KeyPair } from "./tls-files.js";

/** How the secure users server authenticates itself and, for mutual TLS, its clients. */
export interface ServerTls {
  /** The server's own key and certificate. */
  identity: KeyPair;
  /**
   * Mutual TLS: the CA client certificates must chain to. Every client must then present one,
   * and handlers read who it is from `context.peerIdentities()`. Without it, plain TLS.
   */
  clientCa?: Uint8Array;
}

/**
 * Starts the users server on `address` over TLS (or mutual TLS, given `clientCa`), and resolves
 * to it and its port (port 0 picks a free one).
 */
export async function startSecureUsersServer(
  address: string,
  tls: ServerTls,
  servicer: Partial<UsersServicer> = new UsersService(() => {}),
): Promise<{ server: Server; port: number }> {
  const srv = server();
  addUsersServicerToServer(servicer, srv);
  const credentials =
    tls.clientCa === undefined
      ? sslServerCredentials([tls.identity])
      : sslServerCredentials([tls.identity], { rootCertificates: tls.clientCa, requireClientAuth: true });
  const port = await srv.addSecurePort(address, credentials);
  await srv.start();
  return { server: srv, port };
}

/**
 * A channel to the secure users server that trusts `ca` and, for mutual TLS, presents `client`.
 * The target's host name must be one the server's certificate names (`localhost:port`).
 */
export function secureUsersChannel(target: string, ca: Uint8Array, client?: KeyPair): Channel {
  return secureChannel(target, sslChannelCredentials({ rootCertificates: ca, ...client }));
}
