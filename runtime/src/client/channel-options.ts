import type { Compression } from "../core/compression.js";
import { bytesOption, flagOption, secondsOption } from "../core/option-values.js";
import { refuseUnknownOptions } from "../core/unknown-options.js";
import { runtimeVersion } from "../core/version.js";
import type { ChannelSettings, LoadBalancingPolicy } from "../transport/transport.js";
import type { ClientInterceptor } from "./client-interceptor.js";

/**
 * Options of `insecureChannel` and `secureChannel`. Durations are seconds and sizes bytes, as in
 * `server()`'s options; each is checked, and a wrong one throws naming itself.
 */
export interface ChannelOptions {
  /**
   * The client transport calls travel over: `"grpc-js"` (@grpc/grpc-js's client, the default) or
   * `"node-http2"` (tsgrpc's own, on `node:http2`). See docs/transports.md for what each supports.
   */
  transport?: ClientTransportName | undefined;
  /** Compress every call's requests with this algorithm (a call's own `compression` wins). */
  compression?: Compression | undefined;
  /** Client interceptors for every call; the first listed runs outermost (see `interceptChannel`). */
  interceptors?: ClientInterceptor[] | undefined;
  /**
   * Bytes a response message may have (default 4 MiB, as grpcio's `grpc.max_receive_message_length`);
   * a longer one ends its call with RESOURCE_EXHAUSTED. -1 or Infinity: no limit.
   */
  maxReceiveMessageLength?: number | undefined;
  /**
   * Bytes a request message may have (default: no limit, as grpcio); a longer one fails its call
   * with RESOURCE_EXHAUSTED instead of being sent. -1 or Infinity: no limit.
   */
  maxSendMessageLength?: number | undefined;
  /**
   * Seconds between keepalive PINGs while calls are in flight (default 300: a dead connection is
   * noticed in about 5 minutes instead of never, and 5 minutes is the most often a default grpcio
   * server accepts PINGs). Infinity: no keepalive.
   */
  keepaliveTime?: number | undefined;
  /** Seconds to wait for a PING's answer before the connection is closed and its calls fail UNAVAILABLE (default 20). */
  keepaliveTimeout?: number | undefined;
  /** Send keepalive PINGs with no call in flight too (default false; servers refuse it unless they permit it). */
  keepalivePermitWithoutCalls?: boolean | undefined;
  /** `:authority` of every call instead of the target's host (grpcio's `grpc.default_authority`). */
  defaultAuthority?: string | undefined;
  /**
   * The host name the server's TLS certificate must name, instead of the target's (grpcio's
   * `grpc.ssl_target_name_override`): for tests and servers reached by IP address.
   */
  sslTargetNameOverride?: string | undefined;
  /**
   * The application's name and version, sent in `user-agent` before tsgrpc's own (grpcio's
   * `grpc.primary_user_agent`), e.g. `"billing/2.1"` → `billing/2.1 tsgrpc-node/1.0.0` (grpc-js adds `grpc-node-js/…` after it).
   */
  primaryUserAgent?: string | undefined;
  /**
   * How calls spread over the addresses the target resolves to (grpcio's `grpc.lb_policy_name`):
   * `"pick_first"` (the default) or `"round_robin"`.
   */
  loadBalancingPolicy?: "pick_first" | "round_robin" | undefined;
  /** Retry calls as the service config's retry policies say (default true, as grpcio's `grpc.enable_retries`). */
  enableRetries?: boolean | undefined;
  /** Seconds before the first attempt to reconnect a lost connection (default 1, as grpcio). */
  initialReconnectBackoff?: number | undefined;
  /** Seconds the wait between attempts to reconnect grows to at most (default 120, as grpcio). */
  maxReconnectBackoff?: number | undefined;
  /**
   * Seconds without calls after which the channel closes its connection and goes IDLE, to
   * reconnect on the next call (default 1800, as grpcio's `grpc.client_idle_timeout_ms`). Infinity: never.
   */
  idleTimeout?: number | undefined;
  /**
   * grpc-js channel arguments, e.g. `"grpc.service_config"`: an escape hatch that only the grpc-js
   * transport reads, for what the typed options above do not cover. A key that one of them covers
   * may be given here or there, not both.
   */
  options?: Record<string, string | number> | undefined;
}

/** The client transports a channel can be made over. */
export type ClientTransportName = "grpc-js" | "node-http2";

/** What the typed options are when not given. */
export const defaultChannelSettings: ChannelSettings = {
  maxSendMessageLength: Number.POSITIVE_INFINITY,
  maxReceiveMessageLength: 4 * 1024 * 1024,
  keepaliveTime: 300,
  keepaliveTimeout: 20,
  keepalivePermitWithoutCalls: false,
  defaultAuthority: null,
  sslTargetNameOverride: null,
  userAgent: `tsgrpc-node/${runtimeVersion}`,
  loadBalancingPolicy: "pick_first",
  enableRetries: true,
  initialReconnectBackoff: 1,
  maxReconnectBackoff: 120,
  idleTimeout: 1800,
};

// Every option, so that a misspelt one is refused by name rather than ignored.
const optionNames: Record<keyof ChannelOptions, true> = {
  transport: true,
  compression: true,
  interceptors: true,
  maxReceiveMessageLength: true,
  maxSendMessageLength: true,
  keepaliveTime: true,
  keepaliveTimeout: true,
  keepalivePermitWithoutCalls: true,
  defaultAuthority: true,
  sslTargetNameOverride: true,
  primaryUserAgent: true,
  loadBalancingPolicy: true,
  enableRetries: true,
  initialReconnectBackoff: true,
  maxReconnectBackoff: true,
  idleTimeout: true,
  options: true,
};

const channelOptionNames = Object.keys(optionNames);

const loadBalancingPolicies: readonly LoadBalancingPolicy[] = ["pick_first", "round_robin"];

/** The settings `options` ask for, validated, defaults filled in. Throws naming a bad option. */
export function channelSettings(options: ChannelOptions): ChannelSettings {
  refuseUnknownOptions("channel option", options, channelOptionNames);
  const d = defaultChannelSettings;
  const policy = options.loadBalancingPolicy ?? d.loadBalancingPolicy;
  if (!loadBalancingPolicies.includes(policy)) {
    throw new TypeError(
      `loadBalancingPolicy must be ${loadBalancingPolicies.map((p) => `"${p}"`).join(" or ")}, got ${JSON.stringify(options.loadBalancingPolicy)}`,
    );
  }
  const primary = text("primaryUserAgent", options.primaryUserAgent);
  return {
    maxSendMessageLength: bytesOption("maxSendMessageLength", options.maxSendMessageLength, d.maxSendMessageLength),
    maxReceiveMessageLength: bytesOption("maxReceiveMessageLength", options.maxReceiveMessageLength, d.maxReceiveMessageLength),
    keepaliveTime: secondsOption("keepaliveTime", options.keepaliveTime, d.keepaliveTime),
    keepaliveTimeout: secondsOption("keepaliveTimeout", options.keepaliveTimeout, d.keepaliveTimeout),
    keepalivePermitWithoutCalls: flagOption(
      "keepalivePermitWithoutCalls",
      options.keepalivePermitWithoutCalls,
      d.keepalivePermitWithoutCalls,
    ),
    defaultAuthority: text("defaultAuthority", options.defaultAuthority),
    sslTargetNameOverride: text("sslTargetNameOverride", options.sslTargetNameOverride),
    userAgent: primary === null ? d.userAgent : `${primary} ${d.userAgent}`,
    loadBalancingPolicy: policy,
    enableRetries: flagOption("enableRetries", options.enableRetries, d.enableRetries),
    initialReconnectBackoff: secondsOption("initialReconnectBackoff", options.initialReconnectBackoff, d.initialReconnectBackoff),
    maxReconnectBackoff: secondsOption("maxReconnectBackoff", options.maxReconnectBackoff, d.maxReconnectBackoff),
    idleTimeout: secondsOption("idleTimeout", options.idleTimeout, d.idleTimeout),
  };
}

function text(name: string, given: string | undefined): string | null {
  if (given === undefined) return null;
  if (typeof given !== "string" || given.length === 0 || /[\r\n]/.test(given)) {
    throw new TypeError(`${name} must be a non-empty string on one line, got ${JSON.stringify(given)}`);
  }
  return given;
}
