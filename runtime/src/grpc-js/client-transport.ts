import type { Readable, Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import { Compression } from "../core/compression.js";
import { ChannelConnectivity } from "../core/connectivity.js";
import { deadlinePassed, deadlineSlackMs } from "../core/deadline.js";
import { Metadata } from "../core/metadata.js";
import { StatusCode, toStatusCode } from "../core/status-code.js";
import type { WriteOptions } from "../core/write-options.js";
import type {
  ClientTransport,
  ClientTransportCapabilities,
  StartCallOptions,
  TransportCall,
  TransportMethod,
  TransportStatus,
} from "../transport/transport.js";
import { Waiters } from "../transport/waiters.js";
import { CompressingClients } from "./compressing-clients.js";
import { grpcJsCallCredentials } from "./credentials.js";
import { asBuffer, fromGrpcMetadata, toGrpcMetadata } from "./metadata.js";
import { ReadGate } from "./read-gate.js";
import { StreamReader } from "./stream-reader.js";
import { writeMessage } from "./write-message.js";

const passThrough = (bytes: Buffer): Buffer => bytes;

/** grpc-js's connectivity states as the runtime's, and back. */
const fromGrpcJsState: Record<grpc.connectivityState, ChannelConnectivity> = {
  [grpc.connectivityState.IDLE]: ChannelConnectivity.IDLE,
  [grpc.connectivityState.CONNECTING]: ChannelConnectivity.CONNECTING,
  [grpc.connectivityState.READY]: ChannelConnectivity.READY,
  [grpc.connectivityState.TRANSIENT_FAILURE]: ChannelConnectivity.TRANSIENT_FAILURE,
  [grpc.connectivityState.SHUTDOWN]: ChannelConnectivity.SHUTDOWN,
};
const toGrpcJsState: Record<ChannelConnectivity, grpc.connectivityState> = {
  [ChannelConnectivity.IDLE]: grpc.connectivityState.IDLE,
  [ChannelConnectivity.CONNECTING]: grpc.connectivityState.CONNECTING,
  [ChannelConnectivity.READY]: grpc.connectivityState.READY,
  [ChannelConnectivity.TRANSIENT_FAILURE]: grpc.connectivityState.TRANSIENT_FAILURE,
  [ChannelConnectivity.SHUTDOWN]: grpc.connectivityState.SHUTDOWN,
};

const algorithmNames: Record<Compression, string> = {
  [Compression.NoCompression]: "identity",
  [Compression.Deflate]: "deflate",
  [Compression.Gzip]: "gzip",
};

/**
 * The client side over grpc-js: one `grpc.Client` per channel for uncompressed calls, and for each
 * compression algorithm asked for (grpc-js compresses only per channel) the clients of a
 * `CompressingClients`, on a connection of their own, made on first use.
 */
export class GrpcJsClientTransport implements ClientTransport {
  readonly #target: string;
  readonly #credentials: grpc.ChannelCredentials;
  readonly #options: grpc.ChannelOptions;
  readonly #client: grpc.Client;
  readonly #byCompression = new Map<Compression, CompressingClients>();

  readonly capabilities: ClientTransportCapabilities;

  /** `encrypted`: whether `credentials` are TLS ones. */
  constructor(target: string, credentials: grpc.ChannelCredentials, options: grpc.ChannelOptions, { encrypted }: { encrypted: boolean }) {
    this.capabilities = { callCredentials: encrypted };
    this.#target = target;
    this.#credentials = credentials;
    this.#options = options;
    this.#client = new grpc.Client(target, credentials, options);
  }

  start(method: TransportMethod, options: StartCallOptions, request: Uint8Array | null): TransportCall {
    // grpc-js has a request function per kind of call.
    if (request !== null)
      return method.responseStream ? this.#serverStream(method.path, request, options) : this.#unary(method.path, request, options);
    return method.responseStream ? this.#bidiStream(method.path, options) : this.#clientStream(method.path, options);
  }

  #unary(path: string, request: Uint8Array, options: StartCallOptions): TransportCall {
    const call = new GrpcJsCall();
    const surface = this.#start(options, (client) =>
      client.makeUnaryRequest(
        path,
        asBuffer,
        passThrough,
        asBuffer(request),
        toGrpcMetadata(options.metadata, metadataOptions(options)),
        callOptions(options),
        call.onResponse,
      ),
    );
    return call.attach(surface, null, null);
  }

  #serverStream(path: string, request: Uint8Array, options: StartCallOptions): TransportCall {
    const call = new GrpcJsCall(options.deadline);
    const gate = new ReadGate();
    const stream = this.#start(options, (client) =>
      client.makeServerStreamRequest(
        path,
        asBuffer,
        passThrough,
        asBuffer(request),
        toGrpcMetadata(options.metadata, metadataOptions(options)),
        callOptions(options, gate),
      ),
    );
    return call.attach(stream, { stream, gate }, null);
  }

  #clientStream(path: string, options: StartCallOptions): TransportCall {
    const call = new GrpcJsCall();
    const stream = this.#start(options, (client) =>
      client.makeClientStreamRequest(
        path,
        asBuffer,
        passThrough,
        toGrpcMetadata(options.metadata, metadataOptions(options)),
        callOptions(options),
        call.onResponse,
      ),
    );
    return call.attach(stream, null, stream);
  }

  #bidiStream(path: string, options: StartCallOptions): TransportCall {
    const call = new GrpcJsCall(options.deadline);
    const gate = new ReadGate();
    const stream = this.#start(options, (client) =>
      client.makeBidiStreamRequest(
        path,
        asBuffer,
        passThrough,
        toGrpcMetadata(options.metadata, metadataOptions(options)),
        callOptions(options, gate),
      ),
    );
    return call.attach(stream, { stream, gate }, stream);
  }

  connectivity(tryToConnect: boolean): ChannelConnectivity {
    return fromGrpcJsState[this.#client.getChannel().getConnectivityState(tryToConnect)];
  }

  watchConnectivity(last: ChannelConnectivity): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#client
        .getChannel()
        .watchConnectivityState(toGrpcJsState[last], Number.POSITIVE_INFINITY, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): void {
    this.#client.close();
    for (const clients of this.#byCompression.values()) clients.close();
    this.#byCompression.clear();
  }

  /** Starts a call on the client for its compression; uncompressed calls go on the channel's own. */
  #start<S extends Surface>(options: StartCallOptions, start: (client: grpc.Client) => S): S {
    const algorithm = options.compression;
    if (algorithm === null || algorithm === Compression.NoCompression) return start(this.#client);
    let clients = this.#byCompression.get(algorithm);
    if (!clients) {
      const args = { ...this.#options, "grpc.default_compression_algorithm": algorithm as number as grpc.compressionAlgorithms };
      clients = new CompressingClients(() => new grpc.Client(this.#target, this.#credentials, args));
      this.#byCompression.set(algorithm, clients);
    }
    const lease = clients.lease();
    let surface: S;
    try {
      surface = start(lease.client);
    } catch (error) {
      lease.ended();
      throw error;
    }
    surface.once("metadata", lease.answered);
    surface.once("status", lease.ended);
    return surface;
  }
}

/** The name grpc-js uses for an algorithm, e.g. in `grpc-encoding`. */
export function compressionName(algorithm: Compression): string {
  return algorithmNames[algorithm];
}

function metadataOptions(options: StartCallOptions): grpc.MetadataOptions {
  return options.waitForReady ? { waitForReady: true } : {};
}

/** grpc-js's options for a call; a response stream's reads go through `gate`. */
function callOptions(options: StartCallOptions, gate?: ReadGate): grpc.CallOptions {
  const out: grpc.CallOptions = {};
  if (options.deadline) out.deadline = options.deadline;
  if (options.credentials) out.credentials = grpcJsCallCredentials(options.credentials);
  if (gate) out.interceptors = [gate.interceptor];
  return out;
}

/** grpc-js appends the frames of the code that started a call to its errors, after this line. */
const callerMarker = "\nfor call at\n";

function callerFramesOf(error: Error | null): string | undefined {
  const stack = error?.stack;
  const at = stack?.indexOf(callerMarker) ?? -1;
  return stack !== undefined && at !== -1 ? stack.slice(at + callerMarker.length) : undefined;
}

type Surface = grpc.ClientUnaryCall | grpc.ClientReadableStream<Buffer> | grpc.ClientWritableStream<Buffer>;

/** One grpc-js call seen through the TransportCall interface. */
class GrpcJsCall implements TransportCall {
  readonly headers: Promise<Metadata>;
  readonly status: Promise<TransportStatus>;
  readonly #deadline: Date | null;
  #resolveHeaders!: (md: Metadata) => void;
  #resolveStatus!: (status: TransportStatus) => void;
  #surface: Surface | null = null;
  #reader: StreamReader | null = null;
  #writable: Writable | null = null;
  #response: Buffer | null = null;
  #callbackError: grpc.ServiceError | null = null;
  // What grpc-js reports a failed stream with; its stack ends with the frames of the caller.
  #streamError: Error | null = null;
  #ended = false;
  readonly #writers = new Waiters();

  constructor(deadline: Date | null = null) {
    this.#deadline = deadline;
    this.headers = new Promise((resolve) => (this.#resolveHeaders = resolve));
    this.status = new Promise((resolve) => (this.#resolveStatus = resolve));
  }

  /** The callback of unary and client-streaming calls; runs just before the 'status' event. */
  readonly onResponse = (error: grpc.ServiceError | null, value?: Buffer): void => {
    if (error) this.#callbackError = error;
    else if (value !== undefined) this.#response = value;
  };

  /** `readable`: the response stream, with the gate its call was started with. */
  attach(surface: Surface, readable: { stream: Readable; gate: ReadGate } | null, writable: Writable | null): this {
    this.#surface = surface;
    surface.on("metadata", (md: grpc.Metadata) => this.#resolveHeaders(fromGrpcMetadata(md)));
    surface.on("status", (status: grpc.StatusObject) => this.#end(status));
    // grpc-js also reports a stream's failure as an 'error' event; the status carries the same facts.
    if (readable || writable) (surface as NodeJS.EventEmitter).on("error", (error: Error) => (this.#streamError = error));
    if (readable) this.#reader = new StreamReader(readable.stream, readable.gate);
    if (writable) {
      this.#writable = writable;
      writable.on("drain", () => this.#writers.wakeAll());
    }
    return this;
  }

  async read(): Promise<Uint8Array | null> {
    const reader = this.#reader;
    if (reader) {
      // Past the deadline, grpc-js's timer is about to end the call (it cannot have run if the
      // consumer kept the event loop busy): wait for it rather than hand out a message late.
      if (!this.#ended && deadlinePassed(this.#deadline)) await this.status;
      return reader.read();
    }
    await this.status;
    const response = this.#response;
    this.#response = null;
    return response;
  }

  write(message: Uint8Array, options?: WriteOptions): boolean {
    if (!this.#writable || this.#ended) return false;
    return writeMessage(this.#writable, asBuffer(message), options);
  }

  drained(): Promise<void> {
    const writable = this.#writable;
    if (!writable || this.#ended || !writable.writableNeedDrain) return Promise.resolve();
    return this.#writers.wait();
  }

  halfClose(): void {
    if (this.#writable && !this.#ended) this.#writable.end();
  }

  cancel(): void {
    if (this.#ended) return;
    // grpcio hands out nothing after a local cancel: what was read ahead goes.
    this.#reader?.discard();
    this.#surface?.cancel();
  }

  #end(status: grpc.StatusObject): void {
    if (this.#ended) return;
    this.#ended = true;
    // A unary OK without a message is reported by the callback, not by the status.
    const failed = this.#callbackError;
    const code = toStatusCode(failed ? failed.code : status.code);
    const details = failed ? failed.details : status.details;
    // grpcio hands out nothing once the deadline has passed, whichever side reported it; a status
    // of the server's own making (even DEADLINE_EXCEEDED, earlier) keeps the messages sent before it.
    if (code === StatusCode.DEADLINE_EXCEEDED && deadlinePassed(this.#deadline, deadlineSlackMs)) this.#reader?.discard();
    this.#resolveHeaders(new Metadata());
    this.#resolveStatus({
      code,
      details,
      trailingMetadata: fromGrpcMetadata(failed ? failed.metadata : status.metadata),
      debug: `${details} (code ${status.code})`,
      callerFrames: callerFramesOf(failed ?? this.#streamError),
    });
    this.#writers.wakeAll();
  }
}
