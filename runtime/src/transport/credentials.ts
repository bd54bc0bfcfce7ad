const channelBrand = Symbol.for("@tsgrpc/runtime/ChannelCredentials");
const callBrand = Symbol.for("@tsgrpc/runtime/CallCredentials");
const serverBrand = Symbol.for("@tsgrpc/runtime/ServerCredentials");

/**
 * Credentials of a channel (TLS, with optional call credentials). Opaque: make them with
 * `sslChannelCredentials` or `compositeChannelCredentials`.
 */
export class ChannelCredentials {
  /** @internal the transport's own credentials object. */
  readonly transportCredentials: unknown;
  private constructor(transportCredentials: unknown) {
    this.transportCredentials = transportCredentials;
    Object.defineProperty(this, channelBrand, { value: true });
  }
  /** @internal */
  static wrap(transportCredentials: unknown): ChannelCredentials {
    return new ChannelCredentials(transportCredentials);
  }
  static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && channelBrand in x;
  }
}

/** Credentials attached to each call, such as an access token. Opaque. */
export class CallCredentials {
  /** @internal the transport's own credentials object. */
  readonly transportCredentials: unknown;
  private constructor(transportCredentials: unknown) {
    this.transportCredentials = transportCredentials;
    Object.defineProperty(this, callBrand, { value: true });
  }
  /** @internal */
  static wrap(transportCredentials: unknown): CallCredentials {
    return new CallCredentials(transportCredentials);
  }
  static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && callBrand in x;
  }
}

/** Credentials of a server port (TLS, optionally requiring client certificates). Opaque. */
export class ServerCredentials {
  /** @internal the transport's own credentials object. */
  readonly transportCredentials: unknown;
  private constructor(transportCredentials: unknown) {
    this.transportCredentials = transportCredentials;
    Object.defineProperty(this, serverBrand, { value: true });
  }
  /** @internal */
  static wrap(transportCredentials: unknown): ServerCredentials {
    return new ServerCredentials(transportCredentials);
  }
  static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && serverBrand in x;
  }
}
