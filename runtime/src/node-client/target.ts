import { isIP } from "node:net";

// Channel targets as grpcio reads them (grpc/grpc doc/naming.md): `dns:[//authority/]host[:port]`
// (the default scheme: a target without a known scheme is read as `dns:///target`), `ipv4:` and
// `ipv6:` lists of literal addresses, `unix:path` / `unix:///absolute-path`, `unix-abstract:name`.

/** Port of a target that names none, as in grpcio. */
export const defaultPort = 443;

/** One address to connect to. */
export type SocketAddress = { readonly host: string; readonly port: number } | { readonly path: string };

/** A target, parsed: a name to resolve, or the addresses themselves. */
export interface ParsedTarget {
  /** `:authority` of its calls (and the name TLS checks), before `defaultAuthority` overrides it. */
  readonly authority: string;
  /** The host TLS checks the certificate against (the authority without its port). */
  readonly host: string;
  /** A DNS name to resolve, with the port its addresses take; null when `addresses` are given literally. */
  readonly dns: { readonly name: string; readonly port: number } | null;
  readonly addresses: readonly SocketAddress[];
}

const forms = '"host:port", "host", "dns:///host:port", "ipv4:1.2.3.4:5", "ipv6:[::1]:5" or "unix:/path"';

/** `target` parsed as grpcio parses it; a TypeError naming the forms for one it cannot read. */
export function parseTarget(target: string): ParsedTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1]?.toLowerCase();
  const rest = scheme === undefined ? "" : target.slice(scheme.length + 1);
  switch (scheme) {
    case "unix": {
      // unix:///abs has an empty authority; unix:relative is relative to the working directory.
      const path = rest.startsWith("//") ? rest.slice(2) : rest;
      if (path.length === 0) throw bad(target, "a unix: target needs a path");
      return { authority: "localhost", host: "localhost", dns: null, addresses: [{ path }] };
    }
    case "unix-abstract":
      return { authority: "localhost", host: "localhost", dns: null, addresses: [{ path: `\0${rest}` }] };
    case "ipv4":
    case "ipv6": {
      const addresses = rest.split(",").map((part) => {
        const { host, port } = splitHostPort(part.trim(), target);
        if (isIP(host) !== (scheme === "ipv4" ? 4 : 6))
          throw bad(target, `${JSON.stringify(host)} is not an ${scheme.toUpperCase()} address`);
        return { host, port };
      });
      const first = rest.split(",")[0]?.trim() ?? "";
      return { authority: first, host: splitHostPort(first, target).host, dns: null, addresses };
    }
    case "dns": {
      // dns:///name and dns://dns-server/name: the DNS server is not ours to pick, as in grpc-js.
      const name = rest.startsWith("//") ? rest.slice(rest.indexOf("/", 2) + 1) : rest;
      return hostTarget(name, target);
    }
    default:
      return hostTarget(target, target);
  }
}

/** A `host[:port]` target: literal IPs are used as they are, names resolved. */
function hostTarget(hostPort: string, target: string): ParsedTarget {
  if (hostPort.length === 0 || hostPort.includes("/")) throw bad(target, "expected host[:port]");
  const { host, port } = splitHostPort(hostPort, target);
  const literal = isIP(host) !== 0;
  return {
    authority: hostPort,
    host,
    dns: literal ? null : { name: host, port },
    addresses: literal ? [{ host, port }] : [],
  };
}

/** `host:port`, `[v6]:port`, `host`, `[v6]` or a bare IPv6 address; the port defaults to 443. */
function splitHostPort(text: string, target: string): { host: string; port: number } {
  let host = text;
  let port: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close === -1) throw bad(target, `unclosed "[" in ${JSON.stringify(text)}`);
    host = text.slice(1, close);
    const after = text.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) throw bad(target, `unexpected ${JSON.stringify(after)} after "]"`);
    port = after === "" ? undefined : after.slice(1);
  } else if (text.indexOf(":") !== -1 && text.indexOf(":") === text.lastIndexOf(":")) {
    host = text.slice(0, text.indexOf(":"));
    port = text.slice(text.indexOf(":") + 1);
  }
  if (host.length === 0) throw bad(target, "the host is empty");
  if (port === undefined) return { host, port: defaultPort };
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw bad(target, `${JSON.stringify(port)} is not a port`);
  return { host, port: Number(port) };
}

function bad(target: string, why: string): TypeError {
  return new TypeError(`Cannot read the channel target ${JSON.stringify(target)}: ${why} (targets look like ${forms})`);
}

/** An address as errors name it: `127.0.0.1:50051`, `[::1]:50051`, `unix:/tmp/s`. */
export function addressLabel(address: SocketAddress): string {
  if ("path" in address) return `unix:${address.path.replace("\0", "@")}`;
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
