import type { MethodDefinition } from "@tsgrpc/runtime";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A method definition whose messages are JSON text: lets runtime tests exercise every RPC kind
 * without generated code. `decode` throws on bytes that are not JSON, like a real codec would.
 */
export function jsonMethod<Req, Res>(
  path: string,
  shape: { requestStream?: boolean; responseStream?: boolean } = {},
): MethodDefinition<Req, Res> {
  const encode = (message: unknown) => encoder.encode(JSON.stringify(message));
  const decode = (bytes: Uint8Array) => JSON.parse(decoder.decode(bytes));
  return {
    path,
    requestStream: shape.requestStream ?? false,
    responseStream: shape.responseStream ?? false,
    serializeRequest: encode,
    deserializeRequest: decode,
    serializeResponse: encode,
    deserializeResponse: decode,
  };
}

/** The JSON codec as a method handler's serializers (`unaryUnaryRpcMethodHandler(fn, jsonSerializers())`). */
export function jsonSerializers<Req, Res>(): {
  requestDeserializer: (bytes: Uint8Array) => Req;
  responseSerializer: (message: Res) => Uint8Array;
} {
  const codec = jsonMethod<Req, Res>("/json/Codec");
  return { requestDeserializer: codec.deserializeRequest, responseSerializer: codec.serializeResponse };
}
