import * as grpc from "@grpc/grpc-js";
import type { ServerCallTransport } from "../transport.js";
import { GrpcJsServerCall } from "./server-call.js";

const passThrough = (bytes: Buffer): Buffer => bytes;

/** The listening side of a server over one `grpc.Server`. */
export class GrpcJsServerTransport {
  readonly #server: grpc.Server;

  constructor(options: grpc.ServerOptions) {
    this.#server = new grpc.Server(options);
  }

  /** Routes RPCs on `path` to `onCall`. */
  register(path: string, onCall: (call: ServerCallTransport) => void): void {
    this.#server.register<Buffer, Buffer>(
      path,
      (stream: grpc.ServerDuplexStream<Buffer, Buffer>) => onCall(new GrpcJsServerCall(stream)),
      passThrough,
      passThrough,
      "bidi",
    );
  }

  /** Binds `address` (port 0 picks one) and resolves to the bound port. */
  bind(address: string, credentials: unknown): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.bindAsync(address, credentials as grpc.ServerCredentials, (error, port) =>
        error ? reject(error) : resolve(port),
      );
    });
  }

  insecureCredentials(): unknown {
    return grpc.ServerCredentials.createInsecure();
  }

  /** Stops accepting connections and resolves once every in-flight RPC has ended. */
  shutdown(): Promise<void> {
    return new Promise((resolve) => this.#server.tryShutdown(() => resolve()));
  }

  /** Ends every connection and RPC now. */
  forceShutdown(): void {
    this.#server.forceShutdown();
  }
}
