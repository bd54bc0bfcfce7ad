import type { SecureServerOptions, ServerOptions } from "node:http2";
import type { ServerLimits } from "../transport/transport.js";

// Node's own HTTP/2 limits, each set on purpose (its defaults are tuned for browsers and a web
// server, not for gRPC's long-lived, many-stream connections).

/** The receive window of each stream: a stream whose handler does not read holds at most this. */
export const streamWindowBytes = 65_535;

/**
 * Responses a connection may have queued per stream before Node counts the session as over its
 * memory: one message per stream is in flight at most (writes wait for 'drain').
 */
const queuedResponseBytesPerStream = 64 * 1024;

/**
 * Header fields one request may carry (Node: 128). A little over what `maxMetadataSize` admits
 * of the smallest fields (32 bytes each), so the metadata limit answers first, with a gRPC status.
 */
const headerPairsFor = (maxMetadataSize: number) => Math.min(10_000, Math.max(128, Math.ceil(maxMetadataSize / 32) + 16));

/** SETTINGS entries per frame (Node: 32): there are 6 defined; more is a flood. */
const maxSettings = 32;

/** PINGs sent and not yet acknowledged (Node: 10); the server sends keepalive pings one at a time. */
const maxOutstandingPings = 10;

/** Invalid frames before the session is closed (Node: 1000): a peer that errs that often is hostile. */
const maxSessionInvalidFrames = 100;

/** Streams refused (over the concurrency limit) before the session is closed (Node: 100): rapid-reset defence. */
const maxSessionRejectedStreams = 100;

/**
 * RST_STREAM frames a client may send (Node, from nghttp2: a burst of 1,000, then 33 a second,
 * after which the whole connection gets GOAWAY INTERNAL_ERROR). gRPC clients reset a stream for
 * every cancelled call and every call past its deadline: a client cancelling 50 calls a second on
 * one connection, ordinary for a busy service, lost the connection after a minute of the soak. A
 * rapid-reset attacker is held by `maxConcurrentStreams` and `maxSessionRejectedStreams` (and the
 * attack suite's 10,000 resets), not by this rate. Node 22 and 24 take it (checked on 22.23.5 and
 * 24.22.3); Node 20 (20.20.2) has no option for it and keeps nghttp2's.
 */
const streamResetBurst = 10_000;
const streamResetRate = 1_000;

/**
 * The options of every HTTP/2 server a transport makes, from the server's limits. The session
 * memory (Node: 10 MB, which answers large messages on busy connections with ENHANCE_YOUR_CALM,
 * grpc-node #1158) is sized for a full window on every stream plus a message in each direction.
 */
export function sessionOptions(limits: ServerLimits): ServerOptions & SecureServerOptions {
  const messageBytes = Number.isFinite(limits.maxReceiveMessageLength) ? limits.maxReceiveMessageLength : 64 * 1024 * 1024;
  const streams = Math.min(limits.maxConcurrentStreams, 10_000);
  const sessionBytes = streams * (streamWindowBytes + queuedResponseBytesPerStream) + 2 * messageBytes;
  const headerBytes = Number.isFinite(limits.maxMetadataSize) ? limits.maxMetadataSize : 1024 * 1024;
  return {
    settings: {
      maxConcurrentStreams: limits.maxConcurrentStreams,
      initialWindowSize: streamWindowBytes,
      // Advertised above maxMetadataSize: a request over it gets RESOURCE_EXHAUSTED from the transport, not a reset.
      maxHeaderListSize: Math.min(2 ** 31 - 1, Math.max(64 * 1024, 2 * headerBytes)),
    },
    maxSessionMemory: Math.max(10, Math.ceil(sessionBytes / (1024 * 1024))),
    maxHeaderListPairs: headerPairsFor(headerBytes),
    maxSettings,
    maxOutstandingPings,
    maxSessionInvalidFrames,
    maxSessionRejectedStreams,
    // Node 22 and 24 read these; Node 20 ignores them, and @types/node 20 does not know them.
    ...({ streamResetBurst, streamResetRate } as object),
  };
}
