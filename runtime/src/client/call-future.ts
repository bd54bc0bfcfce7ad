import type { Call } from "../core/call.js";
import type { Future } from "../core/future.js";
import { type Outcome, OutcomeFuture } from "../core/outcome-future.js";
import { RpcError } from "../core/rpc-error.js";
import { delegateCall } from "./call-delegate.js";
import type { ClientCall } from "./client-call.js";

/** A unary-response RPC in flight: a Call and a Future of its response at once. */
export interface CallFuture<T> extends Call, Future<T> {
  /** Cancels the RPC; false if it had already finished. `result()` then rejects with FutureCancelledError. */
  cancel(): boolean;
}

/** The CallFuture of a client call whose single response `response` reads. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: its Call methods are installed by delegateCall, below.
export class ClientCallFuture<T> extends OutcomeFuture<T, RpcError> implements CallFuture<T> {
  protected readonly call: ClientCall;

  constructor(call: ClientCall, response: () => Promise<T>) {
    super(
      response().then(
        (value): Outcome<T, RpcError> => ({ ok: true, value }),
        (error: unknown): Outcome<T, RpcError> => ({ ok: false, error: RpcError.from(error) }),
      ),
      call.method,
    );
    this.call = call;
  }

  protected onCancel(): void {
    this.call.cancel();
  }
}

// The Call methods are delegateCall's: the class's base is the Future.
// biome-ignore lint/correctness/noUnusedVariables: a merged declaration repeats the class's type parameters.
export interface ClientCallFuture<T> extends Omit<Call, "cancel"> {}
delegateCall(ClientCallFuture);
