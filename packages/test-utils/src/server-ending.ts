import { StatusCode } from "@tsgrpc/runtime";

/** How a test handler's `finally` saw its RPC end: the proof that cancellation reached the server. */
export interface ServerEnding {
  code: StatusCode | null;
  active: boolean;
}

/**
 * Asserts that a handler saw its RPC end through the client's deadline. grpc-js races the
 * client's RST_STREAM (sent when the client's own deadline timer fires) against the server's
 * deadline timer, which starts a little later, so the server can report the end as CANCELLED.
 * TODO: accept only DEADLINE_EXCEEDED once the server classifies such a cancel as the deadline.
 */
export function expectDeadlineEnding(ending: ServerEnding): void {
  expect(ending.active).toBe(false);
  expect([StatusCode.DEADLINE_EXCEEDED, StatusCode.CANCELLED]).toContain(ending.code);
}
