import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/** Where a server listens: TCP hosts (all of them on one port) or a unix socket path. */
export type ListenAddress = { kind: "tcp"; hosts: string[]; port: number } | { kind: "unix"; path: string };

/**
 * Parses a grpcio server address: `host:port`, `[v6]:port`, `dns:host:port`, `unix:path` or
 * `unix:///abs/path`. A name resolves to each of its addresses (`localhost:0` listens on 127.0.0.1
 * and ::1, one port), as grpcio and grpc-js bind it.
 */
export async function parseListenAddress(address: string): Promise<ListenAddress> {
  if (address.startsWith("unix:")) {
    const path = address.startsWith("unix://") ? address.slice("unix://".length) : address.slice("unix:".length);
    if (path === "") throw new TypeError(`No socket path in address "${address}"`);
    return { kind: "unix", path };
  }
  const target = address.replace(/^dns:(\/\/\/)?/, "");
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(target);
  if (!match) throw new TypeError(`Expected an address like "127.0.0.1:50051" or "[::]:0", got "${address}"`);
  const host = match[1] ?? match[2] ?? "";
  const port = Number(match[3]);
  if (port > 65535) throw new RangeError(`Port out of range in "${address}"`);
  if (host === "" || isIP(host) !== 0) return { kind: "tcp", hosts: [host === "" ? "::" : host], port };
  const resolved = await lookup(host, { all: true });
  return { kind: "tcp", hosts: [...new Set(resolved.map((entry) => entry.address))], port };
}
