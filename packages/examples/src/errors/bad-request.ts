import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { AnySchema, anyPack, anyUnpack } from "@bufbuild/protobuf/wkt";
import { RpcError, type Status, StatusCode, toStatus } from "@tsgrpc/runtime";
import { type BadRequest, type BadRequest_FieldViolationSchema, BadRequestSchema } from "../gen/google/rpc/error_details_pb.js";

/** One problem with one field of a request, as `google.rpc.BadRequest.FieldViolation`. */
export type FieldViolation = MessageInitShape<typeof BadRequest_FieldViolationSchema>;

/**
 * The `Status` of a request that failed validation: INVALID_ARGUMENT with `message`, and every
 * violation in a `google.rpc.BadRequest` in the `grpc-status-details-bin` trailer, where any gRPC
 * client (grpcio-status, grpc-gateway, ours) finds them. Give it to `context.abortWithStatus`.
 *
 * @example
 * const violations = validate(request);
 * if (violations.length > 0) context.abortWithStatus(badRequestStatus("invalid user", violations));
 */
export function badRequestStatus(message: string, violations: FieldViolation[]): Status {
  const badRequest = create(BadRequestSchema, { fieldViolations: violations });
  return toStatus({ code: StatusCode.INVALID_ARGUMENT, message, details: [anyPack(BadRequestSchema, badRequest)] });
}

/**
 * The `google.rpc.BadRequest` an RPC error carries in its status details, or null when it has
 * none (a plain status, another detail type, or a reason that is not an `RpcError` at all).
 */
export function badRequestOf(error: unknown): BadRequest | null {
  if (!(error instanceof RpcError)) return null;
  for (const detail of error.statusDetails()?.details ?? []) {
    const badRequest = anyUnpack(create(AnySchema, detail), BadRequestSchema);
    if (badRequest !== undefined) return badRequest;
  }
  return null;
}
