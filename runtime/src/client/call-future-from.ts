import type { Call } from "../core/call.js";
import type { Metadata } from "../core/metadata.js";
import { OutcomeFuture } from "../core/outcome-future.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { CallFuture } from "./call-future.js";

/** What `run` settled with: the response and its Call, or the error. */
type Answer<T> = { ok: true; value: T; call: Call } | { ok: false; error: RpcError };

/**
 * Builds a CallFuture from async logic, for client interceptors that retry, refresh a token or
 * otherwise wait before they can answer. `run` gets an AbortSignal that aborts when the future is
 * cancelled (pass it on: cancel the call you started); it resolves with the response and the
 * Call that produced it, or rejects with the RpcError to report (anything else becomes UNKNOWN).
 *
 * Until `run` settles, the Call getters wait; afterwards they answer from the returned Call or,
 * on failure, from the RpcError. `cancel()` makes `result()` reject with FutureCancelledError at
 * once, as grpcio's futures do, whether or not `run` honours the signal.
 *
 * @example
 * return callFutureFrom(async (signal) => {
 *   const attempt = continuation(details, request);
 *   signal.addEventListener("abort", () => attempt.cancel(), { once: true });
 *   return [await attempt.result(), attempt];
 * });
 */
export function callFutureFrom<T>(run: (signal: AbortSignal) => Promise<[T, Call]>): CallFuture<T> {
  return new AsyncCallFuture(run);
}

class AsyncCallFuture<T> extends OutcomeFuture<T, RpcError, Answer<T>> implements CallFuture<T> {
  readonly #controller: AbortController;

  constructor(run: (signal: AbortSignal) => Promise<[T, Call]>) {
    const controller = new AbortController();
    const answer = Promise.resolve()
      .then(() => run(controller.signal))
      .then(
        ([value, call]): Answer<T> => ({ ok: true, value, call }),
        (error: unknown): Answer<T> => ({ ok: false, error: RpcError.from(error) }),
      );
    super(answer, "The call");
    this.#controller = controller;
  }

  protected onCancel(): void {
    this.#controller.abort();
  }

  // ---- Call: answered by the Call `run` returned, or by its RpcError
  async initialMetadata(): Promise<Metadata> {
    const answer = await this.#ended();
    return answer.ok ? answer.call.initialMetadata() : answer.error.initialMetadata();
  }

  async trailingMetadata(): Promise<Metadata> {
    const answer = await this.#ended();
    return answer.ok ? answer.call.trailingMetadata() : answer.error.trailingMetadata();
  }

  async code(): Promise<StatusCode> {
    const answer = await this.#ended();
    return answer.ok ? answer.call.code() : answer.error.code();
  }

  async details(): Promise<string> {
    const answer = await this.#ended();
    return answer.ok ? answer.call.details() : answer.error.details();
  }

  isActive(): boolean {
    return !this.done();
  }

  timeRemaining(): number | null {
    const answer = this.outcome;
    return answer?.ok ? answer.call.timeRemaining() : null;
  }

  addCallback(callback: () => void): boolean {
    return this.callbacks.addIfPending(callback);
  }

  /** The answer; a cancelled future reports CANCELLED, as a cancelled call does. */
  async #ended(): Promise<Answer<T>> {
    const answer = await this.settled;
    if (answer !== null && !this.cancelled()) return answer;
    return { ok: false, error: new RpcError(StatusCode.CANCELLED, "Locally cancelled by application!") };
  }
}
