import { server as createServer, type Server, type ServerTransportName, sslServerCredentials } from "@tsgrpc/runtime";
import { addTestServiceServicerToServer } from "./gen/grpc/testing/test_grpc.js";
import { TestService } from "./test-service.js";

/** A private key and its certificate chain, PEM-encoded. */
export interface ServerKeyPair {
  privateKey: Buffer;
  certificateChain: Buffer;
}

/** Where and how an interop server listens. */
export interface InteropServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Address to bind; `[::]` (every interface) unless set. */
  host?: string;
  /** Serve TLS with this key pair instead of plaintext. */
  tls?: ServerKeyPair | undefined;
  /** The server transport (`server({ transport })`); grpc-js unless set. */
  transport?: ServerTransportName | undefined;
}

/** A started interop server. */
export interface InteropServer {
  server: Server;
  port: number;
  /** Stops the server, cancelling RPCs still in flight. */
  close(): Promise<void>;
}

/**
 * Starts a tsgrpc server with the interop `TestService` (and, as the interop descriptions require,
 * without `UnimplementedService`).
 */
export async function startInteropServer(options: InteropServerOptions): Promise<InteropServer> {
  const server = createServer({ transport: options.transport ?? "node-http2" });
  addTestServiceServicerToServer(new TestService(), server);
  const address = `${options.host ?? "[::]"}:${options.port}`;
  const port = options.tls
    ? await server.addSecurePort(address, sslServerCredentials([options.tls]))
    : await server.addInsecurePort(address);
  await server.start();
  return { server, port, close: () => server.stop(null) };
}
