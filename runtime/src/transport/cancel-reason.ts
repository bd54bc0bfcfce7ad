import { StatusCode } from "../core/status-code.js";
import type { CancelReason } from "./transport.js";

/** A cancellation this close to the deadline is the deadline passing. */
const deadlineSlackMs = 100;

/**
 * Why an RPC ended when the peer gave no reason (a reset stream, a closed connection). The client
 * cancels at its own deadline, which the server sees a network hop later than its deadline timer
 * would fire: allow for that hop.
 */
export function cancelReason(deadline: Date | null): CancelReason {
  const expired = deadline !== null && deadline.getTime() <= Date.now() + deadlineSlackMs;
  return expired ? StatusCode.DEADLINE_EXCEEDED : StatusCode.CANCELLED;
}
