import type { Call } from "../core/call.js";
import { deadlinePassed, deadlineSlackMs, secondsUntil } from "../core/deadline.js";
import { DoneCallbacks } from "../core/future.js";
import { Metadata } from "../core/metadata.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { TransportCall, TransportStatus } from "../transport/transport.js";

/** grpcio's texts for the two endings the client itself causes. */
const locallyCancelled = "Locally cancelled by application!";
const deadlineExceeded = "Deadline Exceeded";

/**
 * The client-side state of one RPC: the `Call` users see, fed by a TransportCall. It owns the
 * end-of-RPC bookkeeping (callbacks, the final status in grpcio's wording, the caller's stack).
 */
export class ClientCall implements Call {
  readonly method: string;
  readonly transport: TransportCall;
  /** The final status, with details in grpcio's wording. */
  readonly finished: Promise<TransportStatus>;
  readonly #deadline: Date | null;
  #headers: Metadata | null = null;
  #cancelledLocally = false;
  #failure: { code: StatusCode; details: string; cause: unknown } | null = null;
  // Run when the RPC ends; their `done` is whether it has.
  readonly #callbacks = new DoneCallbacks();

  constructor(method: string, transport: TransportCall, deadline: Date | null) {
    this.method = method;
    this.transport = transport;
    this.#deadline = deadline;
    void transport.headers.then((md) => (this.#headers ??= md));
    this.finished = transport.status.then((status) => this.#finish(status));
  }

  initialMetadata(): Promise<Metadata> {
    return this.transport.headers;
  }

  async trailingMetadata(): Promise<Metadata> {
    return (await this.finished).trailingMetadata;
  }

  async code(): Promise<StatusCode> {
    return (await this.finished).code;
  }

  async details(): Promise<string> {
    return (await this.finished).details;
  }

  isActive(): boolean {
    return !this.#callbacks.done && !this.#cancelledLocally && this.#failure === null;
  }

  timeRemaining(): number | null {
    return secondsUntil(this.#deadline);
  }

  cancel(): void {
    if (this.#callbacks.done || this.#cancelledLocally) return;
    this.#cancelledLocally = true;
    this.transport.cancel();
  }

  /**
   * Ends the RPC from this side with `code` (the server sees CANCELLED), e.g. when a response
   * cannot be decoded or the request iterator threw; `cause` becomes the RpcError's cause.
   */
  fail(code: StatusCode, details: string, cause?: unknown): void {
    if (this.#callbacks.done || this.#failure) return;
    this.#failure = { code, details, cause };
    this.transport.cancel();
  }

  addCallback(callback: () => void): boolean {
    return this.#callbacks.addIfPending(callback);
  }

  /** The RpcError for a failed status, with the caller's stack and both metadata. */
  error(status: TransportStatus, cause: unknown = this.#failure?.cause): RpcError {
    const error = new RpcError(status.code, status.details, {
      method: this.method,
      initialMetadata: this.#headers ?? new Metadata(),
      trailingMetadata: status.trailingMetadata,
      debugErrorString: status.debug,
      cause,
    });
    // The frames of the call's caller when the transport kept them (capturing a stack on every call
    // costs ~20 µs in grpc-js, which already does); else where the failure was found.
    const frames = status.callerFrames ?? (new Error().stack ?? "").split("\n").slice(1).join("\n");
    error.stack = `${error.name}: ${error.message}\n${frames}`;
    return error;
  }

  /** Waits for the end of the RPC and throws its RpcError unless it ended OK. */
  async throwIfFailed(): Promise<void> {
    const status = await this.finished;
    if (status.code !== StatusCode.OK) throw this.error(status);
  }

  #finish(status: TransportStatus): TransportStatus {
    let final = status;
    if (this.#failure) {
      final = { ...status, code: this.#failure.code, details: this.#failure.details };
    } else if (status.code === StatusCode.CANCELLED && this.#cancelledLocally) {
      final = { ...status, details: locallyCancelled };
    } else if (status.code === StatusCode.DEADLINE_EXCEEDED && deadlinePassed(this.#deadline, deadlineSlackMs)) {
      final = { ...status, details: deadlineExceeded };
    }
    this.#callbacks.run();
    return final;
  }
}
