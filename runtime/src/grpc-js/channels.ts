import type * as grpc from "@grpc/grpc-js";
import type { Channel } from "../client/channel.js";
import { RuntimeChannel } from "../client/channel.js";
import { type ChannelOptions, channelSettings, defaultChannelSettings } from "../client/channel-options.js";
import { interceptChannel } from "../client/intercepted-channel.js";
import { timeoutToMs } from "../core/deadline.js";
import { ChannelCredentials } from "../transport/client-credentials.js";
import type { ChannelSettings } from "../transport/transport.js";
import { GrpcJsClientTransport } from "./client-transport.js";
import { grpcJsChannelCredentials } from "./credentials.js";

/** grpc-js's channel arguments for each typed option, so that one given both ways is refused. */
const typedOptionOf: Record<string, keyof ChannelOptions> = {
  "grpc.max_send_message_length": "maxSendMessageLength",
  "grpc.max_receive_message_length": "maxReceiveMessageLength",
  "grpc.keepalive_time_ms": "keepaliveTime",
  "grpc.keepalive_timeout_ms": "keepaliveTimeout",
  "grpc.keepalive_permit_without_calls": "keepalivePermitWithoutCalls",
  "grpc.default_authority": "defaultAuthority",
  "grpc.ssl_target_name_override": "sslTargetNameOverride",
  "grpc.primary_user_agent": "primaryUserAgent",
  "grpc.service_config": "loadBalancingPolicy",
  "grpc.enable_retries": "enableRetries",
  "grpc.initial_reconnect_backoff_ms": "initialReconnectBackoff",
  "grpc.max_reconnect_backoff_ms": "maxReconnectBackoff",
};

/** The grpc-js channel arguments `settings` translate to (durations through timeoutToMs, which stops at Node's longest timer: grpc-js would fire a longer one after 1 ms). */
export function grpcJsChannelArguments(settings: ChannelSettings): Record<string, string | number> {
  const orUnlimited = (bytes: number) => (Number.isFinite(bytes) ? bytes : -1);
  return {
    "grpc.max_send_message_length": orUnlimited(settings.maxSendMessageLength),
    "grpc.max_receive_message_length": orUnlimited(settings.maxReceiveMessageLength),
    ...(Number.isFinite(settings.keepaliveTime) && {
      "grpc.keepalive_time_ms": timeoutToMs(settings.keepaliveTime),
      "grpc.keepalive_timeout_ms": timeoutToMs(settings.keepaliveTimeout),
    }),
    "grpc.keepalive_permit_without_calls": settings.keepalivePermitWithoutCalls ? 1 : 0,
    ...(settings.defaultAuthority !== null && { "grpc.default_authority": settings.defaultAuthority }),
    ...(settings.sslTargetNameOverride !== null && { "grpc.ssl_target_name_override": settings.sslTargetNameOverride }),
    "grpc.primary_user_agent": settings.userAgent,
    ...(settings.loadBalancingPolicy !== "pick_first" && {
      "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ [settings.loadBalancingPolicy]: {} }] }),
    }),
    "grpc.enable_retries": settings.enableRetries ? 1 : 0,
    "grpc.initial_reconnect_backoff_ms": timeoutToMs(settings.initialReconnectBackoff),
    "grpc.max_reconnect_backoff_ms": timeoutToMs(settings.maxReconnectBackoff),
    // Channelz bookkeeping costs every call; grpcio, too, has it only when asked for.
    "grpc.enable_channelz": 0,
  };
}

/**
 * The grpc-js channel arguments tsgrpc's defaults come to: its name in `user-agent` (before
 * grpc-js's), and keepalive pings so that a dead connection is noticed in ~5 minutes instead of
 * never (5 minutes is the most a default C-core server accepts without answering "too many pings").
 */
export const defaultChannelArguments: Readonly<Record<string, string | number>> = Object.freeze(
  grpcJsChannelArguments(defaultChannelSettings),
);

/**
 * A channel without TLS, like grpcio's `insecure_channel`.
 *
 * @example
 * const channel = insecureChannel("localhost:50051");
 * const stub = new UsersStub(channel);
 */
export function insecureChannel(target: string, options: ChannelOptions = {}): Channel {
  return createChannel(target, null, options);
}

/**
 * A TLS channel, like grpcio's `secure_channel`. For a server whose certificate names another
 * host (tests, IP addresses), set the option `sslTargetNameOverride`.
 *
 * @example
 * const creds = sslChannelCredentials({ rootCertificates: fs.readFileSync("ca.pem") });
 * const channel = secureChannel("localhost:50051", creds);
 */
export function secureChannel(target: string, credentials: ChannelCredentials, options: ChannelOptions = {}): Channel {
  if (!(credentials instanceof ChannelCredentials)) {
    throw new TypeError("secureChannel needs ChannelCredentials, e.g. from sslChannelCredentials()");
  }
  return createChannel(target, credentials, options);
}

function createChannel(target: string, credentials: ChannelCredentials | null, options: ChannelOptions): Channel {
  const settings = channelSettings(options);
  const args: grpc.ChannelOptions = { ...grpcJsChannelArguments(settings), ...rawArguments(options) };
  const transport = new GrpcJsClientTransport(target, grpcJsChannelCredentials(credentials), args, { encrypted: credentials !== null });
  return interceptChannel(new RuntimeChannel(transport, options), ...(options.interceptors ?? []));
}

/** The escape hatch's grpc-js arguments, refusing one that a typed option given too covers. */
function rawArguments(options: ChannelOptions): Record<string, string | number> {
  const raw = options.options ?? {};
  for (const key of Object.keys(raw)) {
    const typed = typedOptionOf[key];
    if (typed !== undefined && options[typed] !== undefined) {
      throw new TypeError(`Channel options give both ${typed} and its grpc-js argument "${key}" (in options): give one`);
    }
  }
  return raw;
}
