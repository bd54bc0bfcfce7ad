import { ChannelConnectivity } from "../core/connectivity.js";
import type { Metadata } from "../core/metadata.js";
import type { WriteOptions } from "../core/write-options.js";
import type {
  ClientTransport,
  PeerAuth,
  StartCallOptions,
  TransportCall,
  TransportMethod,
  TransportStatus,
} from "../transport/transport.js";
import type { MemoryServerCall } from "./memory-server-call.js";
import type { MemoryServerTransport } from "./memory-server-transport.js";

/** How a memory client presents itself to the server, and what it accepts. */
export interface MemoryClientOptions {
  /** What the handler's `context.peer()` says. */
  peer: string;
  /** What the handler's `context.authContext()` says. */
  auth: () => PeerAuth;
  /**
   * Responses longer than this end the RPC with RESOURCE_EXHAUSTED, as a grpc client's limit (4 MiB);
   * the server call checks it as the handler writes, so the responses before still arrive.
   */
  maxReceiveMessageLength: number;
}

/** A ClientTransport whose calls go straight to a MemoryServerTransport in the same process. */
export class MemoryClientTransport implements ClientTransport {
  // Never on a wire, but no secure channel either: call credentials are refused as on an insecure one.
  readonly capabilities = { callCredentials: false };
  readonly #server: MemoryServerTransport;
  readonly #options: MemoryClientOptions;
  #closed = false;
  #onClose: (() => void)[] = [];

  constructor(server: MemoryServerTransport, options: MemoryClientOptions) {
    this.#server = server;
    this.#options = options;
  }

  start(method: TransportMethod, options: StartCallOptions, request: Uint8Array | null): TransportCall {
    const call = this.#start(method.path, options);
    if (request !== null) {
      call.write(request);
      call.halfClose();
    }
    return call;
  }

  connectivity(): ChannelConnectivity {
    return this.#closed ? ChannelConnectivity.SHUTDOWN : ChannelConnectivity.READY;
  }

  watchConnectivity(last: ChannelConnectivity): Promise<void> {
    if (this.connectivity() !== last) return Promise.resolve();
    return new Promise((resolve) => this.#onClose.push(resolve));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const wake of this.#onClose.splice(0)) wake();
  }

  #start(path: string, options: StartCallOptions): MemoryClientCall {
    const call = this.#server.start(path, {
      metadata: options.metadata.clone(),
      deadline: options.deadline,
      peer: this.#options.peer,
      auth: this.#options.auth(),
      clientMaxReceiveMessageLength: this.#options.maxReceiveMessageLength,
    });
    return new MemoryClientCall(call);
  }
}

/** One client RPC over a MemoryServerCall: what the runtime's client sees of it. */
class MemoryClientCall implements TransportCall {
  readonly headers: Promise<Metadata>;
  readonly status: Promise<TransportStatus>;
  readonly #call: MemoryServerCall;

  constructor(call: MemoryServerCall) {
    this.#call = call;
    this.headers = call.headers();
    this.status = call
      .status()
      .then(({ code, details, trailingMetadata }) => ({ code, details, trailingMetadata, debug: `memory: ${details}` }));
  }

  async read(): Promise<Uint8Array | null> {
    const message = await this.#call.takeResponse();
    // Cancelled, or past the deadline: what was read ahead is dropped, as grpcio hands none of it out.
    if (this.#call.endedByTransport) return null;
    return message;
  }

  write(message: Uint8Array, _options?: WriteOptions): boolean {
    return this.#call.sendRequest(message);
  }

  drained(): Promise<void> {
    return this.#call.requestsDrained();
  }

  halfClose(): void {
    this.#call.closeRequests();
  }

  cancel(): void {
    this.#call.cancel("Cancelled on client");
  }
}
