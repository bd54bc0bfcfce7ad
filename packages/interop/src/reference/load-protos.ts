import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/**
 * `grpc.testing`'s services as plain grpc-js loads them with proto-loader (no tsgrpc code), from
 * `protoDir` (packages/interop/proto; callers pass it, since they run both as CommonJS and ESM).
 */
// biome-ignore lint/suspicious/noExplicitAny: proto-loader's package objects are untyped
export function loadTesting(protoDir: string): any {
  const definition = protoLoader.loadSync("grpc/testing/test.proto", {
    includeDirs: [protoDir],
    keepCase: true,
    longs: Number,
    enums: Number,
    defaults: true,
  });
  // biome-ignore lint/suspicious/noExplicitAny: as above
  return (grpc.loadPackageDefinition(definition) as any).grpc.testing;
}
