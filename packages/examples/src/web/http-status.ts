import { StatusCode } from "@tsgrpc/runtime";

// The gRPC → HTTP mapping of google/api's `code.proto` and grpc-gateway, for the codes a web
// client can act on; everything else is a server error.
const httpStatusByCode = new Map<StatusCode, number>([
  [StatusCode.INVALID_ARGUMENT, 400],
  [StatusCode.FAILED_PRECONDITION, 400],
  [StatusCode.OUT_OF_RANGE, 400],
  [StatusCode.UNAUTHENTICATED, 401],
  [StatusCode.PERMISSION_DENIED, 403],
  [StatusCode.NOT_FOUND, 404],
  [StatusCode.ALREADY_EXISTS, 409],
  [StatusCode.ABORTED, 409],
  [StatusCode.RESOURCE_EXHAUSTED, 429],
  [StatusCode.CANCELLED, 499],
  [StatusCode.UNIMPLEMENTED, 501],
  [StatusCode.UNAVAILABLE, 503],
  [StatusCode.DEADLINE_EXCEEDED, 504],
]);

/** The HTTP status a gateway answers for a failed RPC: 404 for NOT_FOUND, 504 for DEADLINE_EXCEEDED, … 500 otherwise. */
export function httpStatusFromGrpc(code: StatusCode): number {
  return httpStatusByCode.get(code) ?? 500;
}
