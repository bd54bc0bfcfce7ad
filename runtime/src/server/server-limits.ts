import type { ServerLimits } from "../transport/transport.js";

/** The options of `server()` that bound what peers may make it hold; every server transport honours them. */
export interface ServerLimitOptions {
  /**
   * SETTINGS_MAX_CONCURRENT_STREAMS advertised to each connection (default 1000). The RPCs of the
   * whole server are capped by `maximumConcurrentRpcs`.
   */
  maxConcurrentStreams?: number | undefined;
  /** Seconds a new connection has to start its first RPC before it is closed (default 10). */
  handshakeTimeout?: number | undefined;
  /** Seconds a connection may sit without RPCs before it is closed with GOAWAY (default 300). */
  maxConnectionIdle?: number | undefined;
  /**
   * Bytes a request message may have (default 4 MiB, as grpcio's `grpc.max_receive_message_length`);
   * a longer one ends its RPC with RESOURCE_EXHAUSTED. -1 or Infinity: no limit.
   */
  maxReceiveMessageLength?: number | undefined;
  /**
   * Bytes a response message may have (default: no limit, as grpcio); a longer one ends its RPC
   * with RESOURCE_EXHAUSTED instead of being sent. -1 or Infinity: no limit.
   */
  maxSendMessageLength?: number | undefined;
  /**
   * Bytes of request headers an RPC may carry, counted as HPACK does (name + value + 32 per entry;
   * default 8 KiB, grpcio 1.51's `grpc.max_metadata_size`); larger ones get RESOURCE_EXHAUSTED.
   */
  maxMetadataSize?: number | undefined;
}

/** The defaults: finite where a peer could otherwise make the server hold resources open-endedly. */
export const defaultServerLimits: ServerLimits = {
  maxConcurrentStreams: 1000,
  handshakeTimeout: 10,
  maxConnectionIdle: 300,
  maxReceiveMessageLength: 4 * 1024 * 1024,
  maxSendMessageLength: Number.POSITIVE_INFINITY,
  maxMetadataSize: 8 * 1024,
};

/** The limits `options` ask for, validated, defaults filled in. Throws a RangeError naming a bad option. */
export function serverLimits(options: ServerLimitOptions): ServerLimits {
  const maxConcurrentStreams = options.maxConcurrentStreams ?? defaultServerLimits.maxConcurrentStreams;
  if (!(Number.isInteger(maxConcurrentStreams) && maxConcurrentStreams > 0 && maxConcurrentStreams < 2 ** 31)) {
    throw new RangeError(`maxConcurrentStreams must be a positive integer, got ${String(options.maxConcurrentStreams)}`);
  }
  return {
    maxConcurrentStreams,
    handshakeTimeout: seconds(options, "handshakeTimeout"),
    maxConnectionIdle: seconds(options, "maxConnectionIdle"),
    maxReceiveMessageLength: bytes(options, "maxReceiveMessageLength"),
    maxSendMessageLength: bytes(options, "maxSendMessageLength"),
    maxMetadataSize: bytes(options, "maxMetadataSize"),
  };
}

function seconds(options: ServerLimitOptions, key: "handshakeTimeout" | "maxConnectionIdle"): number {
  const value = options[key] ?? defaultServerLimits[key];
  if (!(typeof value === "number" && value > 0)) {
    throw new RangeError(`${key} must be a positive number of seconds (or Infinity), got ${String(options[key])}`);
  }
  return value;
}

function bytes(options: ServerLimitOptions, key: "maxReceiveMessageLength" | "maxSendMessageLength" | "maxMetadataSize"): number {
  const value = options[key] ?? defaultServerLimits[key];
  // grpcio spells "no limit" -1.
  if (value === -1 || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`${key} must be a number of bytes (0 or more; -1 or Infinity for no limit), got ${String(options[key])}`);
  }
  return value;
}
