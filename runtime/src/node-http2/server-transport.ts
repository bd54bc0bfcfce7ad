import * as http2 from "node:http2";
import type { Socket } from "node:net";
import { timeoutToMs } from "../core/deadline.js";
import { StatusCode } from "../core/status-code.js";
import { Connections } from "../node-server/connections.js";
import { Listeners } from "../node-server/listeners.js";
import { grpcioPeer, socketPeerAuth } from "../node-server/peer.js";
import { parseGrpcTimeout } from "../protocol/grpc-timeout.js";
import { parseMessageEncoding } from "../protocol/message-compression.js";
import { headerEntrySize } from "../protocol/metadata-headers.js";
import type { ServerCredentials } from "../transport/server-credentials.js";
import {
  noTrailingMetadata,
  type ServerCallTransport,
  type ServerLimits,
  type ServerStatus,
  type ServerTransport,
} from "../transport/transport.js";
import { NodeHttp2ServerCall, responseHeaders, type SessionPeer, statusHeaders } from "./server-call.js";
import { keepSession } from "./session-keeper.js";
import { sessionOptions } from "./session-options.js";

/** The content types of gRPC over HTTP/2 with protobuf messages; anything else is HTTP 415. */
const grpcContentType = /^application\/grpc(\+proto)?(;.*)?$/;

/**
 * The listening side of a server on `node:http2`: Node does HTTP/2 (framing, HPACK, flow
 * control, SETTINGS), this transport the gRPC layer above it (routing, deadlines, message
 * framing, status trailers). Connections come from the server's own listeners, so a stop can end
 * every one of them.
 */
export class NodeHttp2ServerTransport implements ServerTransport {
  readonly capabilities = { name: "node-http2", responseCompression: true, pingPolicing: true };
  readonly #limits: ServerLimits;
  readonly #routes = new Map<string, (call: ServerCallTransport) => void>();
  readonly #listeners = new Listeners();
  readonly #connections: Connections;
  // Each connection's peer, read when it opens: Node's session.socket throws once the socket is gone.
  readonly #sessions = new Map<http2.Http2Session, SessionPeer>();
  #plaintext: http2.Http2Server | null = null;
  readonly #secureServers: http2.Http2SecureServer[] = [];

  constructor(limits: ServerLimits) {
    this.#limits = limits;
    this.#connections = new Connections(
      Number.isFinite(limits.handshakeTimeout) ? timeoutToMs(limits.handshakeTimeout) : Number.POSITIVE_INFINITY,
    );
  }

  register(path: string, onCall: (call: ServerCallTransport) => void): void {
    this.#routes.set(path, onCall);
  }

  bind(address: string, credentials: ServerCredentials | null): Promise<number> {
    const server =
      credentials === null
        ? (this.#plaintext ??= this.#serve(http2.createServer(sessionOptions(this.#limits))))
        : this.#secure(credentials);
    return this.#listeners.bind(address, (socket: Socket) => {
      this.#connections.add(socket);
      // An http2 server takes a connection the way its own listener would hand it over.
      server.emit("connection", socket);
    });
  }

  async shutdown(): Promise<void> {
    this.#listeners.close();
    // GOAWAY to each connection: no new streams; it closes once its open streams have ended.
    for (const session of this.#sessions.keys()) session.close();
    await this.#connections.allClosed();
  }

  forceShutdown(): void {
    for (const session of this.#sessions.keys()) session.destroy();
    this.#connections.destroyAll();
  }

  reloadCredentials(credentials: ServerCredentials): void {
    for (const server of this.#secureServers) server.setSecureContext(secureContextOptions(credentials));
  }

  #secure(credentials: ServerCredentials): http2.Http2SecureServer {
    const require = credentials.clientCertificate === "require";
    const server = this.#serve(
      http2.createSecureServer({
        ...sessionOptions(this.#limits),
        ...secureContextOptions(credentials),
        requestCert: require,
        rejectUnauthorized: require,
        // gRPC is HTTP/2 only (ALPN h2); no HTTP/1.1 fallback.
        allowHTTP1: false,
        ALPNProtocols: ["h2"],
      }),
    );
    this.#secureServers.push(server);
    return server;
  }

  #serve<S extends http2.Http2Server | http2.Http2SecureServer>(server: S): S {
    server.on("session", (session: http2.ServerHttp2Session) => {
      const socket = session.socket;
      this.#sessions.set(session, {
        remoteAddress: socket.remoteAddress,
        remotePort: socket.remotePort,
        peer: grpcioPeer(socket.remoteAddress, socket.remotePort),
        auth: socketPeerAuth(socket),
        keeper: keepSession(session, this.#limits),
      });
      session.once("close", () => this.#sessions.delete(session));
      // A session's errors end the session (Node then closes its streams, which cancels their RPCs).
      session.on("error", ignore);
    });
    server.on("stream", this.#onStream);
    // What a hostile or broken peer causes is the peer's problem: never an unhandled 'error'.
    server.on("sessionError", ignore);
    server.on("error", ignore);
    if ("setSecureContext" in server) server.on("tlsClientError", ignore);
    return server;
  }

  readonly #onStream = (
    stream: http2.ServerHttp2Stream,
    headers: http2.IncomingHttpHeaders,
    _flags: number,
    rawHeaders: string[],
  ): void => {
    stream.on("error", ignore);
    const from = stream.session === undefined ? undefined : this.#sessions.get(stream.session);
    if (from === undefined) {
      // The connection is already gone.
      stream.close(http2.constants.NGHTTP2_CANCEL);
      return;
    }
    this.#connections.rpcStarted(from.remoteAddress, from.remotePort);
    from.keeper.streamOpened();
    // A call tells the keeper when its stream closes; a request answered here, with a listener of its own.
    if (!this.#startCall(stream, headers, rawHeaders, from)) stream.on("close", () => from.keeper.streamClosed());
  };

  /** Starts the RPC a gRPC request asks for; answers any other request itself, and then returns false. */
  #startCall(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, rawHeaders: string[], from: SessionPeer): boolean {
    if (headers[":method"] !== "POST") {
      respondHttp(stream, 405);
      return false;
    }
    const contentType = headers["content-type"];
    if (contentType === undefined || !grpcContentType.test(contentType)) {
      respondHttp(stream, 415);
      return false;
    }
    const method = headers[":path"] ?? "";
    let headerBytes = 0;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2)
      headerBytes += headerEntrySize(rawHeaders[i] as string, (rawHeaders[i + 1] as string).length);
    if (headerBytes > this.#limits.maxMetadataSize) {
      respondStatus(
        stream,
        StatusCode.RESOURCE_EXHAUSTED,
        `Received metadata larger than max (${headerBytes} vs. ${this.#limits.maxMetadataSize})`,
      );
      return false;
    }
    const encoding = parseMessageEncoding(headers["grpc-encoding"] as string | undefined);
    if (encoding === undefined) {
      // The trailers-only response's grpc-accept-encoding lists what is supported.
      respondStatus(stream, StatusCode.UNIMPLEMENTED, `Compression algorithm "${String(headers["grpc-encoding"])}" is not supported`);
      return false;
    }
    const onCall = this.#routes.get(method);
    if (onCall === undefined) {
      respondStatus(stream, StatusCode.UNIMPLEMENTED, "Method not found!");
      return false;
    }
    onCall(
      new NodeHttp2ServerCall(stream, {
        method,
        from,
        rawHeaders,
        deadline: deadlineOf(headers["grpc-timeout"] as string | undefined),
        encoding,
        acceptEncoding: headers["grpc-accept-encoding"] as string | undefined,
        maxReceiveMessageLength: this.#limits.maxReceiveMessageLength,
        maxSendMessageLength: this.#limits.maxSendMessageLength,
      }),
    );
    return true;
  }
}

/** The key pairs and CA of `credentials` as Node's TLS takes them. */
function secureContextOptions(credentials: ServerCredentials): { key: Buffer[]; cert: Buffer[]; ca?: Buffer } {
  return {
    key: credentials.keyCertPairs.map((pair) => Buffer.from(pair.privateKey)),
    cert: credentials.keyCertPairs.map((pair) => Buffer.from(pair.certificateChain)),
    ...(credentials.rootCertificates !== null && { ca: Buffer.from(credentials.rootCertificates) }),
  };
}

/** The deadline a `grpc-timeout` sets; a malformed value is ignored, as grpcio does. */
function deadlineOf(timeout: string | undefined): Date | null {
  if (timeout === undefined) return null;
  const ms = parseGrpcTimeout(timeout);
  return typeof ms === "number" && Number.isFinite(ms) ? new Date(Date.now() + ms) : null;
}

/** A trailers-only response, for an RPC the transport answers itself. */
function respondStatus(stream: http2.ServerHttp2Stream, code: StatusCode, details: string): void {
  const status: ServerStatus = { code, details, trailingMetadata: noTrailingMetadata };
  stream.respond(statusHeaders(status, { ...responseHeaders }), { endStream: true });
  discardRequest(stream);
}

/** A plain HTTP answer to a request that is not gRPC. */
function respondHttp(stream: http2.ServerHttp2Stream, status: number): void {
  stream.respond({ ":status": status }, { endStream: true });
  discardRequest(stream);
}

function discardRequest(stream: http2.ServerHttp2Stream): void {
  if (stream.readableEnded) return;
  stream.on("data", ignore);
  stream.resume();
}

const ignore = (): void => {};
