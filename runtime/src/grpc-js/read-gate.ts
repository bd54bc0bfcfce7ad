import * as grpc from "@grpc/grpc-js";

/**
 * Holds back grpc-js's reads of one call's response messages while its reader has enough.
 *
 * grpc-js's client streams are object-mode Readables whose `_read()` asks the call for one more
 * message (`call.startRead()`), and Node keeps calling `_read()` until 16 messages are buffered:
 * pausing the stream does not stop that, so with 4 MB messages a paused stream still holds 64 MB.
 * The gate sits between the stream and grpc-js as a per-call interceptor (`interceptors` in the
 * call options); a `startRead()` is passed on at once while the gate is open, else when it opens.
 * grpc-js asks again only after a message arrived, so at most one read is held.
 *
 * What the gate holds back stays in grpc-js (and, past its HTTP/2 window, with the server). Note
 * that grpc-js drops the messages it has not been asked for yet when a status other than OK
 * arrives (`maybeOutputStatus` in its subchannel-call.js), so a consumer far behind a server that
 * ends with an error can miss the last ~64 KB before it; that was so before the gate too.
 */
export class ReadGate {
  #call: GatedCall | null = null;
  #open = true;
  #held = false;

  /** The interceptor to start the call with. */
  readonly interceptor: grpc.Interceptor = (options, nextCall) => {
    this.#call = new GatedCall(nextCall(options), this);
    return this.#call;
  };

  /** Stops passing reads on. */
  close(): void {
    this.#open = false;
  }

  /** Passes reads on again, the one held (if any) first. */
  open(): void {
    this.#open = true;
    if (this.#held) {
      this.#held = false;
      this.#call?.passRead();
    }
  }

  /** grpc-js's stream asks for a message. */
  request(): void {
    if (this.#open) this.#call?.passRead();
    else this.#held = true;
  }
}

/** The call grpc-js's stream sees: everything passes through but `startRead()`, which asks the gate. */
class GatedCall extends grpc.InterceptingCall {
  readonly #gate: ReadGate;

  constructor(next: ReturnType<grpc.NextCall>, gate: ReadGate) {
    super(next);
    this.#gate = gate;
  }

  override startRead(): void {
    this.#gate.request();
  }

  passRead(): void {
    super.startRead();
  }
}
