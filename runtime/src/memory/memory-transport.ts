import { insecurePeerAuth } from "../transport/insecure-peer-auth.js";
import type { PeerAuth, ServerLimits } from "../transport/transport.js";
import { MemoryClientTransport } from "./memory-client-transport.js";
import { MemoryServerTransport } from "./memory-server-transport.js";

/** A client transport and a server transport joined in memory: no ports, no HTTP/2, the same seam. */
export interface MemoryTransport {
  client: MemoryClientTransport;
  server: MemoryServerTransport;
}

export interface MemoryTransportOptions {
  /** The server's message limits (a server's `maxReceiveMessageLength`, `maxSendMessageLength`). */
  serverLimits: Pick<ServerLimits, "maxReceiveMessageLength" | "maxSendMessageLength">;
  /** The client's limit on responses (default 4 MiB, as a grpc client's). */
  clientMaxReceiveMessageLength?: number | undefined;
  /** What handlers see as `context.peer()` (default `ipv4:127.0.0.1:0`). */
  peer?: string | undefined;
  /** What handlers see as `context.authContext()` (default: an insecure connection's). */
  auth?: (() => PeerAuth) | undefined;
}

const defaultClientMaxReceiveMessageLength = 4 * 1024 * 1024;

/**
 * Joins a client transport to a server transport in memory, with the network transports'
 * semantics: messages cross as bytes (serialized and parsed by the codecs as over a wire), both
 * directions are bounded buffers with `write()`/`drained()` flow control, deadlines end the RPC on
 * both sides with DEADLINE_EXCEEDED, cancellation reaches the other side, metadata, trailers and
 * status details cross unchanged, and the message limits apply.
 */
export function createMemoryTransport(options: MemoryTransportOptions): MemoryTransport {
  const server = new MemoryServerTransport(options.serverLimits);
  const client = new MemoryClientTransport(server, {
    peer: options.peer ?? "ipv4:127.0.0.1:0",
    auth: options.auth ?? insecurePeerAuth,
    maxReceiveMessageLength: options.clientMaxReceiveMessageLength ?? defaultClientMaxReceiveMessageLength,
  });
  return { client, server };
}
