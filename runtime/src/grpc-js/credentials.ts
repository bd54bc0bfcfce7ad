import * as grpc from "@grpc/grpc-js";
import type { RpcError } from "../core/rpc-error.js";
import { authMetadata, type CallCredentials, type ChannelCredentials } from "../transport/client-credentials.js";
import { asBuffer, toGrpcMetadata } from "./metadata.js";

// The runtime's client credentials as grpc-js's, translated once per credentials object.

const channels = new WeakMap<ChannelCredentials, grpc.ChannelCredentials>();
const calls = new WeakMap<CallCredentials, grpc.CallCredentials>();

/** grpc-js's TLS credentials (with their call credentials) for `credentials`, or insecure ones for null. */
export function grpcJsChannelCredentials(credentials: ChannelCredentials | null): grpc.ChannelCredentials {
  if (credentials === null) return grpc.credentials.createInsecure();
  let translated = channels.get(credentials);
  if (translated === undefined) {
    const { rootCertificates, keyCertPair, callCredentials } = credentials;
    const tls = grpc.credentials.createSsl(
      optionalBuffer(rootCertificates),
      optionalBuffer(keyCertPair?.privateKey ?? null),
      optionalBuffer(keyCertPair?.certificateChain ?? null),
    );
    translated = callCredentials === null ? tls : grpc.credentials.combineChannelCredentials(tls, grpcJsCallCredentials(callCredentials));
    channels.set(credentials, translated);
  }
  return translated;
}

/** grpc-js's call credentials for `credentials`: one metadata generator running the plugins in turn. */
export function grpcJsCallCredentials(credentials: CallCredentials): grpc.CallCredentials {
  let translated = calls.get(credentials);
  if (translated === undefined) {
    translated = grpc.credentials.createFromMetadataGenerator((params, callback) => {
      // grpc-js passes the full path as method_name; grpcio passes the bare method name.
      const methodName = params.method_name.slice(params.method_name.lastIndexOf("/") + 1);
      authMetadata(credentials, { serviceUrl: params.service_url, methodName }).then(
        (metadata) => callback(null, toGrpcMetadata(metadata)),
        (error: RpcError) => callback(Object.assign(new Error(error.details(), { cause: error.cause }), { code: error.code() })),
      );
    });
    calls.set(credentials, translated);
  }
  return translated;
}

function optionalBuffer(bytes: Uint8Array | null): Buffer | null {
  return bytes === null ? null : asBuffer(bytes);
}
