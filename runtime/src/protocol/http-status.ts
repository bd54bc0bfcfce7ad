import { StatusCode } from "../core/status-code.js";

// grpc/grpc doc/http-grpc-status-mapping.md: the status of a response that carries no grpc-status,
// from its HTTP status.

const mapping: Record<number, StatusCode> = {
  400: StatusCode.INTERNAL,
  401: StatusCode.UNAUTHENTICATED,
  403: StatusCode.PERMISSION_DENIED,
  404: StatusCode.UNIMPLEMENTED,
  429: StatusCode.UNAVAILABLE,
  502: StatusCode.UNAVAILABLE,
  503: StatusCode.UNAVAILABLE,
  504: StatusCode.UNAVAILABLE,
};

/** The status code for an HTTP status without `grpc-status`: UNKNOWN for any not in grpc's table. */
export function httpStatusCode(httpStatus: number): StatusCode {
  return mapping[httpStatus] ?? StatusCode.UNKNOWN;
}
