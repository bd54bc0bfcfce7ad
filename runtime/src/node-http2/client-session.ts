import { type ClientHttp2Session, type ClientSessionOptions, connect as connectHttp2 } from "node:http2";
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { checkServerIdentity, connect as connectTls, type TLSSocket } from "node:tls";
import { describeConnectionError } from "../node-client/connect-error.js";
import { addressLabel, type SocketAddress } from "../node-client/target.js";
import type { ChannelCredentials } from "../transport/client-credentials.js";
import type { ChannelSettings } from "../transport/transport.js";
import { streamWindowBytes } from "./session-options.js";

// Node's client-side HTTP/2 limits, each set on purpose.

/**
 * The connection's receive window (nghttp2's default is one stream's 64 KiB, which would make
 * every stream of a connection wait for each other's WINDOW_UPDATEs): each stream still holds at
 * most its own 64 KiB window, so this bounds nothing a reader does not ask for.
 */
const connectionWindowBytes = 16 * 1024 * 1024;

/** Header fields a response may carry (Node: 128): metadata is the application's, a few hundred is not odd. */
const maxHeaderListPairs = 2048;

/** PINGs unanswered at once (Node: 10): the client sends one keepalive PING at a time. */
const maxOutstandingPings = 2;

/** A connection attempt to one address. */
export interface SessionAttempt {
  readonly address: SocketAddress;
  /** `https:` when `credentials` are given, else `http:`. */
  readonly credentials: ChannelCredentials | null;
  /** The name TLS checks the certificate against (and sends as SNI unless it is an IP). */
  readonly serverName: string;
  readonly settings: ChannelSettings;
  readonly timeoutMs: number;
}

/**
 * An HTTP/2 session to one address, resolved once the server's SETTINGS arrived (a port that
 * accepts TCP and never speaks HTTP/2 is not READY), or rejected with an Error in plain words:
 * refused, reset, timed out, TLS failures, not HTTP/2.
 */
export function openSession(attempt: SessionAttempt): Promise<ClientHttp2Session> {
  const { address, credentials, settings } = attempt;
  const at = addressLabel(address);
  return new Promise((resolve, reject) => {
    let socket: Socket | TLSSocket;
    let session: ClientHttp2Session | null = null;
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session?.destroy();
      socket.destroy();
      reject(new Error(why));
    };
    const timer = setTimeout(() => fail(`connecting to ${at} timed out after ${attempt.timeoutMs / 1000} s`), attempt.timeoutMs);
    timer.unref();
    const tcp = "path" in address ? { path: address.path } : { host: address.host, port: address.port };
    if (credentials === null) {
      socket = connectTcp(tcp);
    } else {
      socket = connectTls({
        ...tcp,
        ALPNProtocols: ["h2"],
        // SNI carries host names only.
        ...(isIP(attempt.serverName) !== 0 ? {} : { servername: attempt.serverName }),
        // The identity check is against the name asked for, even when SNI cannot carry it (an IP).
        checkServerIdentity: (_host, cert) => checkServerIdentity(attempt.serverName, cert),
        ...(credentials.rootCertificates !== null && { ca: Buffer.from(credentials.rootCertificates) }),
        ...(credentials.keyCertPair !== null && {
          key: Buffer.from(credentials.keyCertPair.privateKey),
          cert: Buffer.from(credentials.keyCertPair.certificateChain),
        }),
      });
    }
    // nghttp2's "Protocol error" before the server's SETTINGS: what came back was not HTTP/2.
    const describe = (error: Error & { code?: string }) =>
      error.code === "ERR_HTTP2_ERROR" || error.code === "ERR_HTTP2_SESSION_ERROR"
        ? `${at} answered, but not in HTTP/2 (is it an HTTP/1.1 server?)`
        : describeConnectionError(error, address);
    const onSocketError = (error: Error) => fail(describe(error));
    socket.once("error", onSocketError);
    const started = () => {
      if (credentials !== null && (socket as TLSSocket).alpnProtocol !== "h2") {
        fail(
          `TLS with ${at}: the server did not agree to HTTP/2 (ALPN h2), it offered ${JSON.stringify((socket as TLSSocket).alpnProtocol || "nothing")}`,
        );
        return;
      }
      session = connectHttp2(`${credentials === null ? "http" : "https"}://${at}`, {
        ...clientSessionOptions(settings),
        createConnection: () => socket,
      });
      session.once("remoteSettings", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off("error", onSocketError);
        resolve(session as ClientHttp2Session);
      });
      session.once("error", (error: Error) => fail(describe(error)));
      session.once("close", () => fail(`${at} closed the connection before answering in HTTP/2`));
      session.setLocalWindowSize?.(connectionWindowBytes);
    };
    socket.once(credentials === null ? "connect" : "secureConnect", started);
  });
}

/** The options of every client session, from the channel's settings. */
export function clientSessionOptions(settings: ChannelSettings): ClientSessionOptions {
  const messageBytes = Number.isFinite(settings.maxReceiveMessageLength) ? settings.maxReceiveMessageLength : 64 * 1024 * 1024;
  return {
    settings: { enablePush: false, initialWindowSize: streamWindowBytes },
    // Node's 10 MB would answer a large response on a busy connection with ENHANCE_YOUR_CALM.
    maxSessionMemory: Math.max(10, Math.ceil((connectionWindowBytes + 2 * messageBytes) / (1024 * 1024))),
    maxHeaderListPairs,
    maxOutstandingPings,
  };
}
