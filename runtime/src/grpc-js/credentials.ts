import * as grpc from "@grpc/grpc-js";
import { assertSendable, type MetadataInit, toMetadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import { CallCredentials, ChannelCredentials } from "../transport/credentials.js";
import { asBuffer, toGrpcMetadata } from "./metadata.js";

/** PEM-encoded TLS material, as grpcio's `ssl_channel_credentials` takes it. */
export interface SslChannelCredentialsOptions {
  /** CA certificates to trust; Node's default roots when absent. */
  rootCertificates?: Uint8Array | undefined;
  /** The client's private key, for mutual TLS (with `certificateChain`). */
  privateKey?: Uint8Array | undefined;
  /** The client's certificate chain, for mutual TLS (with `privateKey`). */
  certificateChain?: Uint8Array | undefined;
}

/** What a `metadataCallCredentials` plugin learns about the call it authenticates. */
export interface AuthMetadataContext {
  /** `https://host/package.Service` (the host without its port, as grpc-js builds it). */
  serviceUrl: string;
  /** The method's name, e.g. `CreateUser`, as grpcio's `method_name`. */
  methodName: string;
}

/** Computes the metadata a `metadataCallCredentials` adds to each call. */
export type AuthMetadataPlugin = (context: AuthMetadataContext) => Promise<MetadataInit>;

/**
 * TLS credentials for `secureChannel`, like grpcio's `ssl_channel_credentials`. Give
 * `privateKey` and `certificateChain` together for mutual TLS.
 *
 * To reach a server whose certificate names another host (tests, IP addresses), set the channel
 * option `"grpc.ssl_target_name_override"` to the name in the certificate.
 *
 * @example
 * const creds = sslChannelCredentials({ rootCertificates: fs.readFileSync("ca.pem") });
 * const channel = secureChannel("localhost:50051", creds);
 */
export function sslChannelCredentials(options: SslChannelCredentialsOptions = {}): ChannelCredentials {
  const { rootCertificates, privateKey, certificateChain } = options;
  if ((privateKey === undefined) !== (certificateChain === undefined)) {
    throw new TypeError("sslChannelCredentials needs privateKey and certificateChain together (or neither)");
  }
  return ChannelCredentials.wrap(
    grpc.credentials.createSsl(optionalBuffer(rootCertificates), optionalBuffer(privateKey), optionalBuffer(certificateChain)),
  );
}

/**
 * Call credentials that send `authorization: Bearer <token>` with each call, like grpcio's
 * `access_token_call_credentials`.
 */
export function accessTokenCallCredentials(token: string): CallCredentials {
  if (typeof token !== "string" || token.length === 0) {
    throw new TypeError("accessTokenCallCredentials needs a non-empty token");
  }
  return metadataCallCredentials(async () => [["authorization", `Bearer ${token}`]], "access_token");
}

/**
 * Call credentials whose metadata `plugin` computes for each call, like grpcio's
 * `metadata_call_credentials`. If the plugin rejects, the call fails with UNAVAILABLE (or the
 * code of an RpcError it throws) and details naming the plugin's error.
 *
 * @example
 * const creds = metadataCallCredentials(async ({ methodName }) => ({ "x-api-key": await keyFor(methodName) }));
 */
export function metadataCallCredentials(plugin: AuthMetadataPlugin, name?: string): CallCredentials {
  const label = name ?? (plugin.name || "metadata plugin");
  return CallCredentials.wrap(
    grpc.credentials.createFromMetadataGenerator((params, callback) => {
      // grpc-js passes the full path as method_name; grpcio passes the bare method name.
      const methodName = params.method_name.slice(params.method_name.lastIndexOf("/") + 1);
      const context = { serviceUrl: params.service_url, methodName };
      Promise.resolve()
        .then(() => plugin(context))
        .then((init) => {
          const metadata = toMetadata(init);
          assertSendable(metadata, "request");
          callback(null, toGrpcMetadata(metadata));
        })
        .catch((error: unknown) => {
          const cause = error instanceof Error ? error : new Error(String(error));
          callback(Object.assign(new Error(`${label}: ${cause.message}`, { cause }), { code: unavailableUnless(cause) }));
        });
    }),
  );
}

/** Call credentials that apply each of `credentials` in turn, like grpcio's `composite_call_credentials`. */
export function compositeCallCredentials(...credentials: CallCredentials[]): CallCredentials {
  const [first, ...rest] = credentials.map((c) => unwrapCall(c, "compositeCallCredentials"));
  if (first === undefined || rest.length === 0) {
    throw new TypeError("compositeCallCredentials needs at least two CallCredentials");
  }
  return CallCredentials.wrap(grpc.credentials.combineCallCredentials(first, ...rest));
}

/**
 * Channel credentials that also apply `callCredentials` to every call, like grpcio's
 * `composite_channel_credentials`.
 */
export function compositeChannelCredentials(
  channelCredentials: ChannelCredentials,
  ...callCredentials: CallCredentials[]
): ChannelCredentials {
  if (!(channelCredentials instanceof ChannelCredentials)) {
    throw new TypeError("compositeChannelCredentials needs ChannelCredentials first, e.g. sslChannelCredentials()");
  }
  const calls = callCredentials.map((c) => unwrapCall(c, "compositeChannelCredentials"));
  return ChannelCredentials.wrap(
    grpc.credentials.combineChannelCredentials(channelCredentials.transportCredentials as grpc.ChannelCredentials, ...calls),
  );
}

function optionalBuffer(bytes: Uint8Array | undefined): Buffer | null {
  return bytes === undefined ? null : asBuffer(bytes);
}

function unwrapCall(credentials: CallCredentials, where: string): grpc.CallCredentials {
  if (!(credentials instanceof CallCredentials)) {
    throw new TypeError(`${where} takes CallCredentials, e.g. from accessTokenCallCredentials()`);
  }
  return credentials.transportCredentials as grpc.CallCredentials;
}

/** grpcio reports a failing metadata plugin as UNAVAILABLE, unless it threw an RpcError. */
function unavailableUnless(error: Error): number {
  return error instanceof RpcError ? error.code() : grpc.status.UNAVAILABLE;
}
