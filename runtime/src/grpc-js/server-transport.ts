import * as grpc from "@grpc/grpc-js";
import type { MethodShape, ServerCallTransport, ServerTransport } from "../transport.js";
import { GrpcJsServerCall } from "./server-call.js";
import { GrpcJsUnaryServerCall } from "./server-unary-call.js";

const passThrough = (bytes: Buffer): Buffer => bytes;

/** The listening side of a server over one `grpc.Server`. */
export class GrpcJsServerTransport implements ServerTransport {
  readonly #server: grpc.Server;

  constructor(options: grpc.ServerOptions) {
    this.#server = new grpc.Server(options);
  }

  register(path: string, onCall: (call: ServerCallTransport) => void, shape?: MethodShape): void {
    if (shape && !shape.requestStreaming && !shape.responseStreaming) {
      this.#server.register<Buffer, Buffer>(
        path,
        (call: grpc.ServerUnaryCall<Buffer, Buffer>, respond: grpc.sendUnaryData<Buffer>) =>
          onCall(new GrpcJsUnaryServerCall(call, respond)),
        passThrough,
        passThrough,
        "unary",
      );
      return;
    }
    // Every other method, and methods whose shape is not known up front (generic handlers), is
    // served as bidi: grpc-js then only moves bytes and the runtime applies grpcio's rules itself.
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
