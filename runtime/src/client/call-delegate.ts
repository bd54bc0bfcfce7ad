import type { Call } from "../core/call.js";
import type { Metadata } from "../core/metadata.js";
import type { StatusCode } from "../core/status-code.js";

/**
 * A Call answered by the one it holds: the Call methods, written once for every object of the
 * client that is a Call by wrapping one (response streams, futures, an intercepted duplex call).
 */
export abstract class CallDelegate implements Call {
  /** The Call asked. */
  protected abstract readonly call: Call;

  initialMetadata(): Promise<Metadata> {
    return this.call.initialMetadata();
  }

  trailingMetadata(): Promise<Metadata> {
    return this.call.trailingMetadata();
  }

  code(): Promise<StatusCode> {
    return this.call.code();
  }

  details(): Promise<string> {
    return this.call.details();
  }

  isActive(): boolean {
    return this.call.isActive();
  }

  timeRemaining(): number | null {
    return this.call.timeRemaining();
  }

  cancel(): void {
    this.call.cancel();
  }

  addCallback(callback: () => void): boolean {
    return this.call.addCallback(callback);
  }
}

/**
 * Gives a class whose base is taken (a Future) CallDelegate's methods, those it does not define
 * itself: TypeScript's mixin pattern by prototype. Beside the class, declare
 * `interface TheClass extends Call {}` for its type; the class keeps its Call in `call`.
 */
export function delegateCall(target: { readonly prototype: object }): void {
  for (const name of Object.getOwnPropertyNames(CallDelegate.prototype)) {
    if (name === "constructor" || name in target.prototype) continue;
    const method = Object.getOwnPropertyDescriptor(CallDelegate.prototype, name);
    if (method) Object.defineProperty(target.prototype, name, method);
  }
}
