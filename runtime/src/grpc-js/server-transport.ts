import type * as net from "node:net";
import * as grpc from "@grpc/grpc-js";
import { timeoutToMs } from "../core/deadline.js";
import { Connections } from "../node-server/connections.js";
import { Listeners } from "../node-server/listeners.js";
import type { ServerCredentials } from "../transport/server-credentials.js";
import type { ServerCallTransport, ServerLimits, ServerTransport } from "../transport/transport.js";
import { asBuffer } from "./metadata.js";
import { GrpcJsServerCall, type RawServerCall } from "./server-call.js";

/** What grpc-js's own handler machinery gets for a call the runtime has taken over: nothing. */
const inert: grpc.Responder = { start: () => {} };

/**
 * The listening side of a server over one `grpc.Server`. The runtime owns the listening sockets
 * and hands each connection to grpc-js (its public connection injector), so that a stop can end
 * every connection; each RPC is taken over from a server interceptor, which gives the raw call.
 */
export class GrpcJsServerTransport implements ServerTransport {
  // grpc-js's server cannot (its public API has no way to).
  readonly capabilities = {
    name: "grpc-js",
    // grpc-js 1.14's server always answers identity.
    responseCompression: false,
    pingPolicing: false,
  };
  readonly #server: grpc.Server;
  readonly #routes = new Map<string, (call: ServerCallTransport) => void>();
  readonly #listeners = new Listeners();
  readonly #securePorts: { injector: grpc.ConnectionInjector }[] = [];
  readonly #connections: Connections;
  readonly #maxMetadataSize: number;

  /** `options` are grpc-js's own and win over what `limits` translates to. */
  constructor(limits: ServerLimits, options: grpc.ServerOptions = {}) {
    this.#connections = new Connections(toMs(limits.handshakeTimeout));
    this.#maxMetadataSize = limits.maxMetadataSize;
    this.#server = new grpc.Server({
      // Channelz bookkeeping costs every call; grpcio, too, has it only when asked for.
      "grpc.enable_channelz": 0,
      "grpc.max_concurrent_streams": limits.maxConcurrentStreams,
      "grpc.max_receive_message_length": orUnlimited(limits.maxReceiveMessageLength),
      "grpc.max_send_message_length": orUnlimited(limits.maxSendMessageLength),
      ...(Number.isFinite(limits.maxConnectionIdle) && { "grpc.max_connection_idle_ms": toMs(limits.maxConnectionIdle) }),
      ...(Number.isFinite(limits.keepaliveTime) && { "grpc.keepalive_time_ms": toMs(limits.keepaliveTime) }),
      ...(Number.isFinite(limits.keepaliveTimeout) && { "grpc.keepalive_timeout_ms": toMs(limits.keepaliveTimeout) }),
      ...(Number.isFinite(limits.maxConnectionAge) && { "grpc.max_connection_age_ms": toMs(limits.maxConnectionAge) }),
      ...(Number.isFinite(limits.maxConnectionAgeGrace) && { "grpc.max_connection_age_grace_ms": toMs(limits.maxConnectionAgeGrace) }),
      ...options,
      interceptors: [this.#takeOver],
    });
  }

  // Every RPC kind is served through the same raw call.
  register(path: string, onCall: (call: ServerCallTransport) => void): void {
    this.#routes.set(path, onCall);
    // grpc-js answers paths it does not know itself; the handler never runs (see #takeOver).
    this.#server.register<Buffer, Buffer>(path, () => {}, passThrough, passThrough, "bidi");
  }

  bind(address: string, credentials: ServerCredentials | null): Promise<number> {
    // A TLS port's injector is replaced on reload: new connections get the new certificates.
    const port = { injector: this.#server.createConnectionInjector(grpcJsCredentials(credentials)) };
    if (credentials !== null) this.#securePorts.push(port);
    return this.#listeners.bind(address, (socket: net.Socket) => {
      this.#connections.add(socket);
      port.injector.injectConnection(socket);
    });
  }

  reloadCredentials(credentials: ServerCredentials): void {
    for (const port of this.#securePorts) port.injector = this.#server.createConnectionInjector(grpcJsCredentials(credentials));
  }

  async shutdown(): Promise<void> {
    this.#listeners.close();
    await new Promise<void>((resolve) => this.#server.tryShutdown(() => resolve()));
    await this.#connections.allClosed();
  }

  forceShutdown(): void {
    this.#server.forceShutdown();
    // grpc-js only half-closes a connection and waits for the peer; a stop must not.
    this.#connections.destroyAll();
  }

  readonly #takeOver: grpc.ServerInterceptor = (descriptor, call: RawServerCall) => {
    const onCall = this.#routes.get(descriptor.path);
    const { remoteAddress, remotePort } = call.getConnectionInfo();
    this.#connections.rpcStarted(remoteAddress, remotePort);
    if (onCall) {
      const serverCall = new GrpcJsServerCall(call, descriptor.path);
      // grpc-js has no header-list limit of its own to give; the parsed metadata is measured instead.
      if (serverCall.metadataSize() > this.#maxMetadataSize) serverCall.refuseMetadata(this.#maxMetadataSize);
      else onCall(serverCall);
    }
    return new grpc.ServerInterceptingCall(call, inert);
  };
}

const passThrough = (bytes: Buffer): Buffer => bytes;

/** grpc-js spells "no limit" -1. */
const orUnlimited = (bytes: number): number => (Number.isFinite(bytes) ? bytes : -1);

/** The neutral server credentials as grpc-js's. */
function grpcJsCredentials(credentials: ServerCredentials | null): grpc.ServerCredentials {
  if (credentials === null) return grpc.ServerCredentials.createInsecure();
  const pairs = credentials.keyCertPairs.map((pair) => ({
    private_key: asBuffer(pair.privateKey),
    cert_chain: asBuffer(pair.certificateChain),
  }));
  const roots = credentials.rootCertificates === null ? null : asBuffer(credentials.rootCertificates);
  return grpc.ServerCredentials.createSsl(roots, pairs, credentials.clientCertificate === "require");
}

const toMs = (seconds: number): number => (Number.isFinite(seconds) ? timeoutToMs(seconds) : Number.POSITIVE_INFINITY);
