import { Metadata } from "../core/metadata.js";
import { StatusCode } from "../core/status-code.js";
import type { ServerCallTransport, ServerLimits, ServerTransport } from "../transport/transport.js";
import { type MemoryCallOptions, MemoryServerCall } from "./memory-server-call.js";

/** What an in-memory RPC is started with; the message limits come from the server's. */
export type MemoryStartOptions = Omit<MemoryCallOptions, "maxReceiveMessageLength" | "maxSendMessageLength">;

/** A ServerTransport without a network: RPCs are started in the same process, by a memory client or a test. */
export class MemoryServerTransport implements ServerTransport {
  // Messages cross as the handler wrote them; nothing to compress.
  // Messages never touch a wire: nothing is compressed, and there are no PINGs to police.
  readonly capabilities = { name: "memory", responseCompression: false, pingPolicing: false };
  readonly #limits: Pick<ServerLimits, "maxReceiveMessageLength" | "maxSendMessageLength">;
  readonly #routes = new Map<string, (call: ServerCallTransport) => void>();
  readonly #calls = new Set<MemoryServerCall>();
  #idle: (() => void) | null = null;

  constructor(limits: Pick<ServerLimits, "maxReceiveMessageLength" | "maxSendMessageLength">) {
    this.#limits = limits;
  }

  register(path: string, onCall: (call: ServerCallTransport) => void): void {
    this.#routes.set(path, onCall);
  }

  bind(address: string): Promise<number> {
    return Promise.reject(new Error(`the in-memory server transport has no ports (asked to bind ${address})`));
  }

  reloadCredentials(): void {
    throw new Error("the in-memory server transport has no TLS ports to reload");
  }

  /** Resolves once every RPC started so far has ended. */
  shutdown(): Promise<void> {
    if (this.#calls.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#idle = resolve));
  }

  forceShutdown(): void {
    for (const call of this.#calls) call.cancel();
  }

  /**
   * Starts an RPC on `path`; an unknown path ends at once, UNIMPLEMENTED, as over the network, and
   * so does one whose deadline has already passed, DEADLINE_EXCEEDED.
   */
  start(path: string, options: MemoryStartOptions): MemoryServerCall {
    const call = new MemoryServerCall(path, { ...options, ...this.#limits });
    this.#calls.add(call);
    void call.status().then(() => {
      this.#calls.delete(call);
      if (this.#calls.size === 0) this.#idle?.();
    });
    // Ended already (its deadline had passed): no handler runs, as over the network.
    if (call.ended) return call;
    const route = this.#routes.get(path);
    if (route) route(call);
    else call.sendStatus({ code: StatusCode.UNIMPLEMENTED, details: "Method not found!", trailingMetadata: new Metadata() });
    return call;
  }
}
