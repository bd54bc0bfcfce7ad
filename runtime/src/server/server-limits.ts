import { bytesOption, countOption, flagOption, secondsOption } from "../core/option-values.js";
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
  /**
   * Seconds between the server's keepalive PINGs on each connection (default 7200, grpcio's
   * `grpc.keepalive_time_ms`); a PING not answered within `keepaliveTimeout` closes the connection.
   */
  keepaliveTime?: number | undefined;
  /** Seconds to wait for a keepalive PING's answer before closing the connection (default 20, as grpcio). */
  keepaliveTimeout?: number | undefined;
  /**
   * Seconds a client must leave between its PINGs (default 300, grpc's
   * `grpc.http2.min_ping_interval_without_data_ms`); without calls in flight, and unless
   * `keepalivePermitWithoutCalls`, one PING per two hours. A PING sooner is a strike; past
   * `maxPingStrikes` the connection gets GOAWAY ENHANCE_YOUR_CALM "too_many_pings", as C-core
   * sends it. node-http2 transport only: grpc-js's server does not police pings.
   */
  minClientPingInterval?: number | undefined;
  /** Whether clients may send keepalive PINGs while they have no call in flight (default false, as grpcio). */
  keepalivePermitWithoutCalls?: boolean | undefined;
  /** PINGs sooner than allowed that a connection is forgiven before GOAWAY (default 2, grpc's `grpc.http2.max_ping_strikes`). */
  maxPingStrikes?: number | undefined;
  /**
   * Seconds a connection may live (default Infinity, as grpcio); then it gets GOAWAY, with ±10%
   * jitter so that connections made together do not all reconnect together.
   */
  maxConnectionAge?: number | undefined;
  /** Seconds the calls of a connection past `maxConnectionAge` have to finish before it is closed (default Infinity). */
  maxConnectionAgeGrace?: number | undefined;
}

/** The defaults: finite where a peer could otherwise make the server hold resources open-endedly. */
export const defaultServerLimits: ServerLimits = {
  maxConcurrentStreams: 1000,
  handshakeTimeout: 10,
  maxConnectionIdle: 300,
  maxReceiveMessageLength: 4 * 1024 * 1024,
  maxSendMessageLength: Number.POSITIVE_INFINITY,
  maxMetadataSize: 8 * 1024,
  keepaliveTime: 7200,
  keepaliveTimeout: 20,
  minClientPingInterval: 300,
  keepalivePermitWithoutCalls: false,
  maxPingStrikes: 2,
  maxConnectionAge: Number.POSITIVE_INFINITY,
  maxConnectionAgeGrace: Number.POSITIVE_INFINITY,
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
    keepaliveTime: seconds(options, "keepaliveTime"),
    keepaliveTimeout: seconds(options, "keepaliveTimeout"),
    minClientPingInterval: seconds(options, "minClientPingInterval"),
    keepalivePermitWithoutCalls: flagOption(
      "keepalivePermitWithoutCalls",
      options.keepalivePermitWithoutCalls,
      defaultServerLimits.keepalivePermitWithoutCalls,
    ),
    maxPingStrikes: countOption("maxPingStrikes", options.maxPingStrikes, defaultServerLimits.maxPingStrikes),
    maxConnectionAge: seconds(options, "maxConnectionAge"),
    maxConnectionAgeGrace: seconds(options, "maxConnectionAgeGrace"),
  };
}

type SecondsOption =
  | "handshakeTimeout"
  | "maxConnectionIdle"
  | "keepaliveTime"
  | "keepaliveTimeout"
  | "minClientPingInterval"
  | "maxConnectionAge"
  | "maxConnectionAgeGrace";

function seconds(options: ServerLimitOptions, key: SecondsOption): number {
  return secondsOption(key, options[key], defaultServerLimits[key]);
}

function bytes(options: ServerLimitOptions, key: "maxReceiveMessageLength" | "maxSendMessageLength" | "maxMetadataSize"): number {
  return bytesOption(key, options[key], defaultServerLimits[key]);
}
