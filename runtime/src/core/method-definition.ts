import {
  create,
  type DescMessage,
  type DescMethod,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";

/**
 * Everything the runtime needs to know about one RPC method: its path, its shape and how its
 * messages cross the wire. Generated stubs and servicers build these, so the runtime's calls and
 * handlers see only bytes and these four functions, whichever message library generated them
 * (protobuf-es by default, ts-proto as an option); `esMethod` below builds one from a protobuf-es
 * descriptor, which is why this file imports `@bufbuild/protobuf`.
 *
 * `Req`/`Res` are the decoded message types; `ReqInit`/`ResInit` what callers may pass in (for
 * protobuf-es, the message itself or a plain init object).
 */
export interface MethodDefinition<Req, Res, ReqInit = Req, ResInit = Res> {
  /** The HTTP/2 path, `/package.Service/Method`. */
  readonly path: string;
  /** Whether the client sends a stream of requests. */
  readonly requestStream: boolean;
  /** Whether the server sends a stream of responses. */
  readonly responseStream: boolean;
  /** A request as bytes on the wire. */
  serializeRequest(request: ReqInit): Uint8Array;
  /** A request from its bytes on the wire. */
  deserializeRequest(bytes: Uint8Array): Req;
  /** A response as bytes on the wire. */
  serializeResponse(response: ResInit): Uint8Array;
  /** A response from its bytes on the wire. */
  deserializeResponse(bytes: Uint8Array): Res;
}

/** A method definition whose message types are not known statically. */
// biome-ignore lint: the four parameters are intentionally erased here.
export type AnyMethodDefinition = MethodDefinition<any, any, any, any>;

/**
 * The method definition of a protobuf-es (`protoc-gen-es`) method descriptor, e.g.
 * `esMethod(Users.method.createUser)`. Messages are encoded with `@bufbuild/protobuf`.
 */
export function esMethod<I extends DescMessage, O extends DescMessage>(
  method: DescMethod & { readonly input: I; readonly output: O },
): MethodDefinition<MessageShape<I>, MessageShape<O>, MessageInitShape<I>, MessageInitShape<O>> {
  const input = method.input;
  const output = method.output;
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
    responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
    serializeRequest: (request) => toBinary(input, create(input, request)),
    deserializeRequest: (bytes) => fromBinary(input, bytes),
    serializeResponse: (response) => toBinary(output, create(output, response)),
    deserializeResponse: (bytes) => fromBinary(output, bytes),
  };
}
