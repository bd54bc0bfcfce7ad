// A reference interop server in plain @grpc/grpc-js + @grpc/proto-loader, without tsgrpc code: the
// peer our client is checked against. It does what grpc-js's public API allows (like grpc-node's own
// interop server): it cannot see whether a request arrived compressed, nor compress a response.
import * as grpc from "@grpc/grpc-js";
import { loadTesting } from "./load-protos.js";

// biome-ignore lint/suspicious/noExplicitAny: proto-loader messages are plain objects
type Msg = any;

const echoInitialKey = "x-grpc-test-echo-initial";
const echoTrailingKey = "x-grpc-test-echo-trailing-bin";

function payload(size: number, type = 0): Msg {
  if (type !== 0) throw Object.assign(new Error("unsupported response type"), { code: grpc.status.INVALID_ARGUMENT });
  return { type, body: Buffer.alloc(size) };
}

function trailersOf(call: { metadata: grpc.Metadata }): grpc.Metadata {
  const trailers = new grpc.Metadata();
  const value = call.metadata.get(echoTrailingKey)[0];
  if (value !== undefined) trailers.set(echoTrailingKey, value);
  return trailers;
}

function echoInitial(call: { metadata: grpc.Metadata; sendMetadata(md: grpc.Metadata): void }): void {
  const value = call.metadata.get(echoInitialKey)[0];
  if (value === undefined) return;
  const md = new grpc.Metadata();
  md.set(echoInitialKey, value);
  call.sendMetadata(md);
}

function statusError(status: Msg, metadata: grpc.Metadata): Partial<grpc.StatusObject> | null {
  if (!status?.code) return null;
  return { code: status.code, details: status.message, metadata };
}

function unary(call: grpc.ServerUnaryCall<Msg, Msg>, callback: grpc.sendUnaryData<Msg>): void {
  echoInitial(call);
  const trailers = trailersOf(call);
  const failure = statusError(call.request.response_status, trailers);
  if (failure) {
    callback(failure, null);
    return;
  }
  try {
    callback(null, { payload: payload(call.request.response_size, call.request.response_type) }, trailers);
  } catch (error) {
    callback(error as grpc.ServiceError, null);
  }
}

async function streamResponses(call: grpc.ServerWritableStream<Msg, Msg> | grpc.ServerDuplexStream<Msg, Msg>, request: Msg) {
  for (const parameters of request.response_parameters) {
    if (parameters.interval_us > 0) await new Promise((resolve) => setTimeout(resolve, parameters.interval_us / 1000));
    call.write({ payload: payload(parameters.size, request.response_type) });
  }
}

const handlers: grpc.UntypedServiceImplementation = {
  EmptyCall(call: grpc.ServerUnaryCall<Msg, Msg>, callback: grpc.sendUnaryData<Msg>) {
    echoInitial(call);
    callback(null, {}, trailersOf(call));
  },
  UnaryCall: unary,
  CacheableUnaryCall: unary,
  async StreamingOutputCall(call: grpc.ServerWritableStream<Msg, Msg>) {
    echoInitial(call);
    await streamResponses(call, call.request);
    const failure = statusError(call.request.response_status, trailersOf(call));
    if (failure) call.emit("error", failure);
    else call.end(trailersOf(call));
  },
  StreamingInputCall(call: grpc.ServerReadableStream<Msg, Msg>, callback: grpc.sendUnaryData<Msg>) {
    echoInitial(call);
    let size = 0;
    call.on("data", (request: Msg) => (size += request.payload?.body.length ?? 0));
    call.on("end", () => callback(null, { aggregated_payload_size: size }, trailersOf(call)));
    call.on("error", () => {});
  },
  FullDuplexCall(call: grpc.ServerDuplexStream<Msg, Msg>) {
    echoInitial(call);
    let chain = Promise.resolve();
    let failed = false;
    call.on("data", (request: Msg) => {
      chain = chain.then(async () => {
        if (failed) return;
        const failure = statusError(request.response_status, trailersOf(call));
        if (failure) {
          failed = true;
          call.emit("error", failure);
          return;
        }
        await streamResponses(call, request);
      });
    });
    call.on("end", () => void chain.then(() => failed || call.end(trailersOf(call))));
    call.on("error", () => {});
  },
  HalfDuplexCall(call: grpc.ServerDuplexStream<Msg, Msg>) {
    echoInitial(call);
    const requests: Msg[] = [];
    call.on("data", (request: Msg) => requests.push(request));
    call.on("end", async () => {
      for (const request of requests) await streamResponses(call, request);
      call.end(trailersOf(call));
    });
    call.on("error", () => {});
  },
};

/** A started reference server on 127.0.0.1. */
export interface ReferenceServer {
  port: number;
  close(): Promise<void>;
}

/** Starts the reference TestService server (plaintext) on 127.0.0.1 and a free port. */
export async function startReferenceServer(protoDir: string): Promise<ReferenceServer> {
  const testing = loadTesting(protoDir);
  const server = new grpc.Server();
  server.addService(testing.TestService.service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  return {
    port,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
