import { deadlinePassed } from "../core/deadline.js";
import { StatusCode } from "../core/status-code.js";
import type { CancelReason } from "./transport.js";

/**
 * A reset this close to the deadline is the deadline passing: a network hop, not core's timer
 * slack (`deadlineSlackMs`, 5 ms), hence its own name.
 */
const networkHopMs = 100;

/**
 * Why an RPC ended when the peer gave no reason (a reset stream, a closed connection). The client
 * cancels at its own deadline, which the server sees a network hop later than its deadline timer
 * would fire: allow for that hop.
 */
export function cancelReason(deadline: Date | null): CancelReason {
  return deadlinePassed(deadline, networkHopMs) ? StatusCode.DEADLINE_EXCEEDED : StatusCode.CANCELLED;
}
