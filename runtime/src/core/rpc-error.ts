import { BinaryReader } from "@bufbuild/protobuf/wire";
import { type Metadata, type MetadataInit, toMetadata } from "./metadata.js";
import { StatusCode, statusCodeName } from "./status-code.js";

const brand = Symbol.for("@tsgrpc/runtime/RpcError");

/** One entry of `google.rpc.Status.details`: a `google.protobuf.Any`. */
export interface StatusDetail {
  /** The detail message's type, e.g. `type.googleapis.com/google.rpc.BadRequest`. */
  typeUrl: string;
  /** The detail message, encoded. */
  value: Uint8Array;
}

/** A decoded `google.rpc.Status`, the rich error model carried in `grpc-status-details-bin`. */
export interface RichStatus {
  /** The status code (the same as the RPC's). */
  code: number;
  /** The developer-facing message (the RPC's details). */
  message: string;
  /** Further detail messages, e.g. `google.rpc.BadRequest`. */
  details: StatusDetail[];
}

/** What an RpcError carries besides its code and details. */
export interface RpcErrorOptions {
  /** The response headers (on the client: as received). */
  initialMetadata?: MetadataInit | undefined;
  /** The trailers; a server sends them with the status. */
  trailingMetadata?: MetadataInit | undefined;
  /** The error that led to this one (`error.cause`). */
  cause?: unknown;
  /** The method path, `/pkg.Service/Method`; named in the message. */
  method?: string | undefined;
  /** The transport's own description of the failure, for debugging. */
  debugErrorString?: string | undefined;
}

/**
 * The error of an RPC that ended with a status other than OK, on the client; on the server, throw
 * one to end an RPC with its code, details and trailing metadata.
 *
 * Its message names the method and the code (`/users.Users/CreateUser DEADLINE_EXCEEDED: Deadline
 * Exceeded`); its stack is the caller's. `instanceof RpcError` works across duplicate installs of
 * the runtime (and across its ESM and CommonJS builds).
 */
export class RpcError extends Error {
  readonly #code: StatusCode;
  readonly #details: string;
  readonly #initialMetadata: Metadata;
  readonly #trailingMetadata: Metadata;
  readonly #debug: string;
  /** The method path, when known. */
  readonly method: string | undefined;

  constructor(code: StatusCode, details = "", options: RpcErrorOptions = {}) {
    super(
      `${options.method ? `${options.method} ` : ""}${statusCodeName(code)}${details ? `: ${details}` : ""}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "RpcError";
    this.#code = code;
    this.#details = details;
    this.#initialMetadata = toMetadata(options.initialMetadata);
    this.#trailingMetadata = toMetadata(options.trailingMetadata);
    this.#debug = options.debugErrorString ?? `${statusCodeName(code)}: ${details}`;
    this.method = options.method;
    Object.defineProperty(this, brand, { value: true });
  }

  /** Recognises an instance by its brand, so that `instanceof` holds across the ESM and CommonJS builds and duplicate installs. */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && brand in x;
  }

  /** Normalises anything thrown into an RpcError: AbortError → CANCELLED, anything else → UNKNOWN. */
  static from(reason: unknown): RpcError {
    if (reason instanceof RpcError) return reason;
    if (isAbortError(reason)) return new RpcError(StatusCode.CANCELLED, "Cancelled", { cause: reason });
    const message = reason instanceof Error ? reason.message : String(reason);
    return new RpcError(StatusCode.UNKNOWN, message, { cause: reason });
  }

  /** The status code. */
  code(): StatusCode {
    return this.#code;
  }

  /** The status details (grpc-message), "" when there are none. */
  details(): string {
    return this.#details;
  }

  /** The response headers (empty if there were none). */
  initialMetadata(): Metadata {
    return this.#initialMetadata;
  }

  /** The trailers sent with the status. */
  trailingMetadata(): Metadata {
    return this.#trailingMetadata;
  }

  /** The transport's description of the failure (grpc-js's full text for deadlines, for example). */
  debugErrorString(): string {
    return this.#debug;
  }

  /** The decoded `grpc-status-details-bin` trailer (google.rpc.Status), or null if absent or corrupt. */
  statusDetails(): RichStatus | null {
    const bytes = this.#trailingMetadata.get("grpc-status-details-bin");
    if (!(bytes instanceof Uint8Array)) return null;
    try {
      return decodeStatus(bytes);
    } catch {
      return null;
    }
  }
}

/** True for the errors `AbortSignal`s produce (DOMException "AbortError"). */
export function isAbortError(x: unknown): boolean {
  return typeof x === "object" && x !== null && (x as { name?: unknown }).name === "AbortError";
}

// google.rpc.Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
function decodeStatus(bytes: Uint8Array): RichStatus {
  const status: RichStatus = { code: 0, message: "", details: [] };
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) status.code = reader.int32();
    else if (field === 2) status.message = reader.string();
    else if (field === 3) status.details.push(decodeAny(reader.bytes()));
    else reader.skip(wireType);
  }
  return status;
}

// google.protobuf.Any { string type_url = 1; bytes value = 2; }
function decodeAny(bytes: Uint8Array): StatusDetail {
  const any: StatusDetail = { typeUrl: "", value: new Uint8Array(0) };
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) any.typeUrl = reader.string();
    else if (field === 2) any.value = reader.bytes();
    else reader.skip(wireType);
  }
  return any;
}
