import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Metadata, type MetadataInit, toMetadata } from "./metadata.js";
import type { RichStatus } from "./rpc-error.js";
import type { Status } from "./servicer-context.js";
import { StatusCode, statusCodeName } from "./status-code.js";

/** The trailer that carries a `google.rpc.Status` (the rich error model). */
export const statusDetailsKey = "grpc-status-details-bin";

/**
 * The `Status` to give `context.abortWithStatus` for a `google.rpc.Status`: its code and message
 * become the RPC's status, and the whole message travels in the `grpc-status-details-bin` trailer,
 * where clients read it back with `RpcError.statusDetails()`. grpcio-status's `rpc_status.to_status`.
 *
 * @example
 * import { anyPack } from "@bufbuild/protobuf/wkt";
 * context.abortWithStatus(toStatus({
 *   code: StatusCode.INVALID_ARGUMENT,
 *   message: "username is required",
 *   details: [anyPack(BadRequestSchema, badRequest)],
 * }));
 */
export function toStatus(status: RichStatus, trailingMetadata?: MetadataInit): Status {
  if (!Number.isInteger(status.code) || statusCodeName(status.code).startsWith("CODE_")) {
    throw new RangeError(`toStatus: ${status.code} is not a gRPC status code`);
  }
  if (status.code === StatusCode.OK) throw new RangeError("toStatus: an error status cannot have code OK");
  const trailers = trailingMetadata === undefined ? new Metadata() : toMetadata(trailingMetadata).clone();
  trailers.set(statusDetailsKey, encodeStatus(status));
  return { code: status.code as StatusCode, details: status.message, trailingMetadata: trailers };
}

// google.rpc.Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
// and google.protobuf.Any { string type_url = 1; bytes value = 2; }
function encodeStatus(status: RichStatus): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, WireType.Varint).int32(status.code);
  if (status.message) writer.tag(2, WireType.LengthDelimited).string(status.message);
  for (const detail of status.details) {
    writer.tag(3, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(detail.typeUrl);
    writer.tag(2, WireType.LengthDelimited).bytes(detail.value);
    writer.join();
  }
  return writer.finish();
}
