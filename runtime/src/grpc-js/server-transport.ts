import * as grpc from "@grpc/grpc-js";
import type { ServerCallTransport, ServerTransport } from "../transport.js";
import { GrpcJsServerCall } from "./server-call.js";

const passThrough = (bytes: Buffer): Buffer => bytes;

/** The listening side of a server over one `grpc.Server`. */
export class GrpcJsServerTransport implements ServerTransport {
  readonly #server: grpc.Server;

  constructor(options: grpc.ServerOptions) {
    this.#server = new grpc.Server(options);
  }

  register(path: string, onCall: (call: ServerCallTransport) => void): void {
    this.#server.register<Buffer, Buffer>(
      path,
      (stream: grpc.ServerDuplexStream<Buffer, Buffer>) => onCall(new GrpcJsServerCall(stream)),
      passThrough,
      passThrough,
      "bidi",
    );
  }

  bind(address: string, credentials: unknown): Promise<number> {
    const creds = (credentials as grpc.ServerCredentials | null) ?? grpc.ServerCredentials.createInsecure();
    return new Promise((resolve, reject) => {
      this.#server.bindAsync(address, creds, (error, port) => (error ? reject(error) : resolve(port)));
    });
  }

  shutdown(): Promise<void> {
    return new Promise((resolve) => this.#server.tryShutdown(() => resolve()));
  }

  forceShutdown(): void {
    this.#server.forceShutdown();
  }
}
