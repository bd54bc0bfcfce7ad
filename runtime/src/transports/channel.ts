import type { Channel } from "../client/channel.js";
import { RuntimeChannel } from "../client/channel.js";
import { type ChannelOptions, type ClientTransportName, channelSettings, defaultChannelSettings } from "../client/channel-options.js";
import { interceptChannel } from "../client/intercepted-channel.js";
import { grpcJsChannelArguments, grpcJsClientTransport, typedOptionOfArgument } from "../grpc-js/channels.js";
import { NodeHttp2ClientTransport } from "../node-http2/client-transport.js";
import { ChannelCredentials } from "../transport/client-credentials.js";
import type { ClientTransport } from "../transport/transport.js";
import { refuseGrpcJsArguments } from "./grpc-js-arguments.js";

/** The client transports `insecureChannel(target, { transport })` takes; the first is the default. */
export const clientTransportNames: readonly ClientTransportName[] = ["grpc-js", "node-http2"];

/**
 * The grpc-js channel arguments tsgrpc's defaults come to on the grpc-js transport: its name in
 * `user-agent` (before grpc-js's), and keepalive pings so that a dead connection is noticed in ~5
 * minutes instead of never (5 minutes is the most a default C-core server accepts without
 * answering "too many pings").
 */
export const defaultChannelArguments: Readonly<Record<string, string | number>> = Object.freeze(
  grpcJsChannelArguments(defaultChannelSettings),
);

/**
 * A channel without TLS, like grpcio's `insecure_channel`. It travels over @grpc/grpc-js's client
 * unless `transport: "node-http2"` picks tsgrpc's own (see docs/transports.md).
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
  if (typeof target !== "string" || target.length === 0) {
    throw new TypeError(`A channel's target must be a non-empty string such as "localhost:50051", got ${JSON.stringify(target)}`);
  }
  const settings = channelSettings(options);
  const name = options.transport ?? "grpc-js";
  let transport: ClientTransport;
  switch (name) {
    case "grpc-js":
      transport = grpcJsClientTransport(target, credentials, settings, rawArguments(options));
      break;
    case "node-http2":
      refuseGrpcJsArguments("Channel options hold grpc-js channel arguments (options)", options.options, typedOptionOfArgument);
      transport = new NodeHttp2ClientTransport(target, credentials, settings);
      break;
    default:
      throw new TypeError(
        `Unknown client transport ${JSON.stringify(name)}: the valid ones are ${clientTransportNames.map((n) => `"${n}"`).join(" and ")}`,
      );
  }
  return interceptChannel(new RuntimeChannel(transport, options), ...(options.interceptors ?? []));
}

/** The escape hatch's grpc-js arguments, refusing one that a typed option given too covers. */
function rawArguments(options: ChannelOptions): Record<string, string | number> {
  const raw = options.options ?? {};
  for (const key of Object.keys(raw)) {
    const typed = typedOptionOfArgument[key] as keyof ChannelOptions | undefined;
    if (typed !== undefined && options[typed] !== undefined) {
      throw new TypeError(`Channel options give both ${typed} and its grpc-js argument "${key}" (in options): give one`);
    }
  }
  return raw;
}
