import type * as grpc from "@grpc/grpc-js";
import type { Metadata } from "../metadata.js";
import { StatusCode } from "../status-code.js";
import type { CancelReason, MethodShape, PeerAuth, ServerCallTransport, ServerStatus } from "../transport.js";
import { asBuffer, fromGrpcMetadata, toGrpcMetadata } from "./metadata.js";
import { cancelReason, grpcioPeer, peerAuth, toDeadline } from "./server-call.js";

const unaryShape: MethodShape = { requestStreaming: false, responseStreaming: false };

/**
 * One unary-unary RPC on a grpc-js server, registered as grpc-js's `unary` handler type: no
 * streams are built for it, which makes a unary call markedly cheaper than through `bidi`. grpc-js
 * has already read the one request (and answered UNIMPLEMENTED for zero or two) when it arrives.
 */
export class GrpcJsUnaryServerCall implements ServerCallTransport {
  readonly shape = unaryShape;
  readonly method: string;
  readonly deadline: Date | null;
  readonly #call: grpc.ServerUnaryCall<Buffer, Buffer>;
  readonly #respond: grpc.sendUnaryData<Buffer>;
  readonly #peer: string;
  // Read while the call is attached to its connection; grpc-js forgets it once the request is in.
  readonly #authContext: ReturnType<grpc.ServerUnaryCall<Buffer, Buffer>["getAuthContext"]>;
  #auth: PeerAuth | null = null;
  #metadata: Metadata | null = null;
  #request: Buffer | null;
  #response: Buffer | null = null;
  #ended = false;

  constructor(call: grpc.ServerUnaryCall<Buffer, Buffer>, respond: grpc.sendUnaryData<Buffer>) {
    this.#call = call;
    this.#respond = respond;
    this.#request = call.request;
    this.method = call.getPath();
    this.deadline = toDeadline(call.getDeadline());
    this.#peer = grpcioPeer(call.getPeer());
    this.#authContext = call.getAuthContext();
    call.once("cancelled", () => {
      this.#ended = true;
    });
  }

  // Converted on first use: most handlers never look at their metadata.
  get metadata(): Metadata {
    this.#metadata ??= fromGrpcMetadata(this.#call.metadata);
    return this.#metadata;
  }

  peer(): string {
    return this.#peer;
  }

  auth(): PeerAuth {
    this.#auth ??= peerAuth(this.#authContext);
    return this.#auth;
  }

  async read(): Promise<Uint8Array | null> {
    return this.readBuffered();
  }

  readBuffered(): Uint8Array | null {
    const request = this.#request;
    this.#request = null;
    return request;
  }

  sendHeaders(metadata: Metadata): void {
    if (!this.#ended) this.#call.sendMetadata(toGrpcMetadata(metadata));
  }

  write(message: Uint8Array): boolean {
    if (!this.#ended) this.#response = asBuffer(message);
    return true;
  }

  drained(): Promise<void> {
    return Promise.resolve();
  }

  sendStatus(status: ServerStatus): void {
    if (this.#ended) return;
    this.#ended = true;
    const trailers = toGrpcMetadata(status.trailers);
    if (status.code === StatusCode.OK && this.#response !== null) {
      this.#respond(null, this.#response, trailers);
    } else {
      const code = status.code === StatusCode.OK ? StatusCode.INTERNAL : status.code;
      const details = status.code === StatusCode.OK ? "No response message was sent" : status.details;
      this.#respond({ code: code as number as grpc.status, details, metadata: trailers }, null, trailers);
    }
  }

  onCancel(listener: (reason: CancelReason) => void): void {
    this.#call.once("cancelled", () => listener(cancelReason(this.deadline)));
  }
}
