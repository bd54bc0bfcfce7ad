import * as grpc from "@grpc/grpc-js";
import { type Channel, type ChannelOptions, RuntimeChannel } from "../client/channel.js";
import { interceptChannel } from "../client/intercepted-channel.js";
import { runtimeVersion } from "../core/version.js";
import { ChannelCredentials } from "../transport/credentials.js";
import { GrpcJsClientTransport } from "./client-transport.js";

/**
 * Channel arguments tsgrpc sets unless the application does: its name in `user-agent` (before
 * grpc-js's), and keepalive pings so that a dead connection is noticed in ~5 minutes instead of
 * never (5 minutes is the most a default C-core server accepts without answering "too many pings").
 */
export const defaultChannelArguments: Readonly<Record<string, string | number>> = {
  "grpc.primary_user_agent": `tsgrpc-node/${runtimeVersion}`,
  "grpc.keepalive_time_ms": 300_000,
  "grpc.keepalive_timeout_ms": 20_000,
  // Channelz bookkeeping costs every call; grpcio, too, has it only when asked for.
  "grpc.enable_channelz": 0,
};

/**
 * A channel without TLS, like grpcio's `insecure_channel`.
 *
 * @example
 * const channel = insecureChannel("localhost:50051");
 * const stub = new UsersStub(channel);
 */
export function insecureChannel(target: string, options: ChannelOptions = {}): Channel {
  return createChannel(target, grpc.credentials.createInsecure(), options, { encrypted: false });
}

/**
 * A TLS channel, like grpcio's `secure_channel`. For a server whose certificate names another
 * host (tests, IP addresses), set the channel option `"grpc.ssl_target_name_override"`.
 *
 * @example
 * const creds = sslChannelCredentials({ rootCertificates: fs.readFileSync("ca.pem") });
 * const channel = secureChannel("localhost:50051", creds);
 */
export function secureChannel(target: string, credentials: ChannelCredentials, options: ChannelOptions = {}): Channel {
  if (!(credentials instanceof ChannelCredentials)) {
    throw new TypeError("secureChannel needs ChannelCredentials, e.g. from sslChannelCredentials()");
  }
  return createChannel(target, credentials.transportCredentials as grpc.ChannelCredentials, options, { encrypted: true });
}

function createChannel(
  target: string,
  credentials: grpc.ChannelCredentials,
  options: ChannelOptions,
  security: { encrypted: boolean },
): Channel {
  const args: grpc.ChannelOptions = { ...defaultChannelArguments, ...options.options };
  const channel = new RuntimeChannel(new GrpcJsClientTransport(target, credentials, args, security), options);
  return interceptChannel(channel, ...(options.interceptors ?? []));
}
