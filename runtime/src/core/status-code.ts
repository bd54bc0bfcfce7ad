/**
 * gRPC status codes, with grpcio's names and the numbers every gRPC implementation uses.
 * Spec: https://github.com/grpc/grpc/blob/master/doc/statuscodes.md
 */
export enum StatusCode {
  /** Not an error; returned on success. */
  OK = 0,
  /** The operation was cancelled, typically by the caller. */
  CANCELLED = 1,
  /** Unknown error, e.g. an exception thrown by a handler. */
  UNKNOWN = 2,
  /** The client specified an invalid argument. */
  INVALID_ARGUMENT = 3,
  /** The deadline expired before the operation could complete. */
  DEADLINE_EXCEEDED = 4,
  /** Some requested entity was not found. */
  NOT_FOUND = 5,
  /** The entity that a client attempted to create already exists. */
  ALREADY_EXISTS = 6,
  /** The caller does not have permission to execute the operation. */
  PERMISSION_DENIED = 7,
  /** Some resource has been exhausted (quota, concurrency limit, message size). */
  RESOURCE_EXHAUSTED = 8,
  /** The system is not in a state required for the operation's execution. */
  FAILED_PRECONDITION = 9,
  /** The operation was aborted, typically due to a concurrency issue. */
  ABORTED = 10,
  /** The operation was attempted past the valid range. */
  OUT_OF_RANGE = 11,
  /** The operation is not implemented or not supported by the server. */
  UNIMPLEMENTED = 12,
  /** An invariant expected by the underlying system was broken. */
  INTERNAL = 13,
  /** The service is currently unavailable; retrying may help. */
  UNAVAILABLE = 14,
  /** Unrecoverable data loss or corruption. */
  DATA_LOSS = 15,
  /** The request does not have valid authentication credentials. */
  UNAUTHENTICATED = 16,
}

/** The name of a code (`"DEADLINE_EXCEEDED"`), or `"CODE_<n>"` for a number outside the enum. */
export function statusCodeName(code: number): string {
  return StatusCode[code] ?? `CODE_${code}`;
}

/** Maps any number received from a peer to a StatusCode; out-of-range values become UNKNOWN. */
export function toStatusCode(code: number): StatusCode {
  return Number.isInteger(code) && code >= 0 && code <= 16 ? (code as StatusCode) : StatusCode.UNKNOWN;
}
