import { StatusCode } from "../core/status-code.js";
import type { RequestIterable } from "../core/types.js";
import { type RequestWithOptions, unwrapRequest } from "../core/write-options.js";
import type { ClientCall } from "./client-call.js";

/** grpcio's text when the request iterator throws; the original error is the RpcError's cause. */
const iteratorFailed = "Exception iterating requests!";
const serializeFailed = "Exception serializing request!";

/**
 * Sends `requests` on `call`, pulling the next one only when the transport has room (HTTP/2 flow
 * control), then half-closes. Sync iterables are written synchronously while there is room.
 * Stops pulling, and closes the iterator, as soon as the RPC ends. An element made with
 * `withWriteOptions` is written with its options. Never rejects: failures end the RPC instead.
 */
export async function writeRequests<Req>(
  call: ClientCall,
  requests: RequestIterable<Req>,
  serialize: (request: Req) => Uint8Array,
): Promise<void> {
  const transport = call.transport;
  const send = (item: Req | RequestWithOptions<Req>): boolean => {
    const [request, options] = unwrapRequest(item);
    let bytes: Uint8Array;
    try {
      bytes = serialize(request);
    } catch (cause) {
      call.fail(StatusCode.INTERNAL, serializeFailed, cause);
      return false;
    }
    return transport.write(bytes, options);
  };
  try {
    if (Symbol.iterator in requests) {
      const iterator = requests[Symbol.iterator]();
      try {
        for (;;) {
          if (!call.isActive()) return;
          const next = iterator.next();
          if (next.done) break;
          if (!send(next.value)) await transport.drained();
        }
      } finally {
        if (!call.isActive()) iterator.return?.();
      }
    } else {
      for await (const request of requests) {
        if (!call.isActive()) return;
        if (!send(request)) await transport.drained();
        if (!call.isActive()) return;
      }
    }
    transport.halfClose();
  } catch (cause) {
    call.fail(StatusCode.UNKNOWN, iteratorFailed, cause);
  }
}
