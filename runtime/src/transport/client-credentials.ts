import { assertSendable, Metadata, type MetadataInit, toMetadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { KeyCertificatePair } from "./server-credentials.js";

// A client's credentials as the caller gave them: PEM bytes and metadata plugins, plain data each
// client transport translates when it connects or starts a call (grpc-js: ../grpc-js/credentials.ts).

const channelBrand = Symbol.for("@tsgrpc/runtime/ChannelCredentials");
const callBrand = Symbol.for("@tsgrpc/runtime/CallCredentials");

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

/** @internal One plugin of a CallCredentials, with the name its failures are reported under. */
export interface NamedAuthPlugin {
  readonly plugin: AuthMetadataPlugin;
  readonly name: string;
}

/**
 * Credentials of a channel (TLS, with optional call credentials). Make them with
 * `sslChannelCredentials` or `compositeChannelCredentials`.
 */
export class ChannelCredentials {
  /** PEM CA certificates the server's certificate is checked against; null: Node's default roots. */
  readonly rootCertificates: Uint8Array | null;
  /** The identity presented for mutual TLS, or null. */
  readonly keyCertPair: KeyCertificatePair | null;
  /** Call credentials applied to every call of the channel, or null. */
  readonly callCredentials: CallCredentials | null;
  private constructor(
    rootCertificates: Uint8Array | null,
    keyCertPair: KeyCertificatePair | null,
    callCredentials: CallCredentials | null,
  ) {
    this.rootCertificates = rootCertificates;
    this.keyCertPair = keyCertPair;
    this.callCredentials = callCredentials;
    Object.defineProperty(this, channelBrand, { value: true });
  }
  /** @internal use `sslChannelCredentials` / `compositeChannelCredentials`, which check what they are given. */
  static of(
    rootCertificates: Uint8Array | null,
    keyCertPair: KeyCertificatePair | null,
    callCredentials: CallCredentials | null,
  ): ChannelCredentials {
    return new ChannelCredentials(rootCertificates, keyCertPair, callCredentials);
  }
  /** Recognises an instance by its brand, so that `instanceof` holds across the ESM and CommonJS builds and duplicate installs. */
  static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && channelBrand in x;
  }
}

/** Credentials attached to each call, such as an access token: metadata plugins run in order. */
export class CallCredentials {
  /** @internal The plugins, run one after the other for each call; their metadata is sent together. */
  readonly plugins: readonly NamedAuthPlugin[];
  private constructor(plugins: readonly NamedAuthPlugin[]) {
    this.plugins = plugins;
    Object.defineProperty(this, callBrand, { value: true });
  }
  /** @internal use `metadataCallCredentials` / `compositeCallCredentials`. */
  static of(plugins: readonly NamedAuthPlugin[]): CallCredentials {
    return new CallCredentials(plugins);
  }
  /** Recognises an instance by its brand, so that `instanceof` holds across the ESM and CommonJS builds and duplicate installs. */
  static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && callBrand in x;
  }
}

/**
 * TLS credentials for `secureChannel`, like grpcio's `ssl_channel_credentials`. Give
 * `privateKey` and `certificateChain` together for mutual TLS.
 *
 * To reach a server whose certificate names another host (tests, IP addresses), set the channel
 * option `sslTargetNameOverride` to the name in the certificate.
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
  for (const [name, value] of Object.entries({ rootCertificates, privateKey, certificateChain })) {
    if (value !== undefined && !(value instanceof Uint8Array)) {
      throw new TypeError(`sslChannelCredentials: ${name} must be a Uint8Array (PEM bytes)`);
    }
  }
  const pair = privateKey && certificateChain ? { privateKey, certificateChain } : null;
  return ChannelCredentials.of(rootCertificates ?? null, pair, null);
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
  if (typeof plugin !== "function") throw new TypeError("metadataCallCredentials needs a plugin function");
  return CallCredentials.of([{ plugin, name: name ?? (plugin.name || "metadata plugin") }]);
}

/** Call credentials that apply each of `credentials` in turn, like grpcio's `composite_call_credentials`. */
export function compositeCallCredentials(...credentials: CallCredentials[]): CallCredentials {
  const plugins = credentials.flatMap((c) => pluginsOf(c, "compositeCallCredentials"));
  if (credentials.length < 2) throw new TypeError("compositeCallCredentials needs at least two CallCredentials");
  return CallCredentials.of(plugins);
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
  const plugins = [channelCredentials.callCredentials, ...callCredentials].flatMap((c) =>
    c === null ? [] : pluginsOf(c, "compositeChannelCredentials"),
  );
  const calls = plugins.length === 0 ? null : CallCredentials.of(plugins);
  return ChannelCredentials.of(channelCredentials.rootCertificates, channelCredentials.keyCertPair, calls);
}

/**
 * The metadata `credentials` add to one call: each plugin's in turn. A plugin that fails (or gives
 * metadata a client may not send) rejects with an RpcError: UNAVAILABLE, as grpcio reports a
 * failing plugin, unless it threw an RpcError of its own; the details name the plugin.
 */
export async function authMetadata(credentials: CallCredentials, context: AuthMetadataContext): Promise<Metadata> {
  const out = new Metadata();
  for (const { plugin, name } of credentials.plugins) {
    try {
      const metadata = toMetadata(await plugin(context));
      assertSendable(metadata, "request");
      for (const [key, value] of metadata) out.add(key, value);
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      const code = cause instanceof RpcError ? cause.code() : StatusCode.UNAVAILABLE;
      throw new RpcError(code, `${name}: ${cause.message}`, { cause });
    }
  }
  return out;
}

function pluginsOf(credentials: CallCredentials, where: string): readonly NamedAuthPlugin[] {
  if (!(credentials instanceof CallCredentials)) {
    throw new TypeError(`${where} takes CallCredentials, e.g. from accessTokenCallCredentials()`);
  }
  return credentials.plugins;
}
