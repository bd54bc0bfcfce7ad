import type * as grpc from "@grpc/grpc-js";
import { timeoutToMs } from "../core/deadline.js";
import type { ChannelCredentials } from "../transport/client-credentials.js";
import type { ChannelSettings } from "../transport/transport.js";
import { GrpcJsClientTransport } from "./client-transport.js";
import { grpcJsChannelCredentials } from "./credentials.js";

/** grpc-js's channel arguments for each typed option, so that one given both ways is refused. */
export const typedOptionOfArgument: Readonly<Record<string, string>> = {
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
  "grpc.client_idle_timeout_ms": "idleTimeout",
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
    "grpc.client_idle_timeout_ms": timeoutToMs(settings.idleTimeout),
    // Channelz bookkeeping costs every call; grpcio, too, has it only when asked for.
    "grpc.enable_channelz": 0,
  };
}

/** A client transport over grpc-js to `target`: TLS with `credentials`, plaintext for null; `raw` arguments over the typed ones. */
export function grpcJsClientTransport(
  target: string,
  credentials: ChannelCredentials | null,
  settings: ChannelSettings,
  raw: Record<string, string | number>,
): GrpcJsClientTransport {
  const args: grpc.ChannelOptions = { ...grpcJsChannelArguments(settings), ...raw };
  return new GrpcJsClientTransport(target, grpcJsChannelCredentials(credentials), args, { encrypted: credentials !== null });
}
