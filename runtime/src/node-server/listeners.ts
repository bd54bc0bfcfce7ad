import * as net from "node:net";
import { parseListenAddress } from "../transport/listen-address.js";

/**
 * The listening sockets of one server. The server owns them (rather than its HTTP/2 library) so
 * that it sees every connection: a stop can then end each one, whatever the peer does.
 */
export class Listeners {
  readonly #servers: net.Server[] = [];

  /**
   * Listens on a grpcio address, handing each new connection to `onConnection`; resolves to the
   * port (0 for a unix socket). A name binds if any of its addresses does (::1 may be missing).
   */
  async bind(address: string, onConnection: (socket: net.Socket) => void): Promise<number> {
    const where = await parseListenAddress(address);
    if (where.kind === "unix") {
      await this.#listen(onConnection, { path: where.path });
      return 0;
    }
    let port = where.port;
    let failure: unknown = null;
    let bound = 0;
    for (const host of where.hosts) {
      try {
        port = await this.#listen(onConnection, { host, port });
        bound++;
      } catch (error) {
        failure ??= error;
      }
    }
    if (bound === 0) throw failure;
    return port;
  }

  /** Stops accepting connections; the open ones are not touched. */
  close(): void {
    for (const server of this.#servers) server.close();
  }

  #listen(onConnection: (socket: net.Socket) => void, options: net.ListenOptions): Promise<number> {
    const server = net.createServer({ noDelay: true }, onConnection);
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(options, () => {
        server.off("error", reject);
        this.#servers.push(server);
        const bound = server.address();
        resolve(typeof bound === "object" && bound !== null ? bound.port : 0);
      });
    });
  }
}
