import type { DescMethod, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { type Channel, RuntimeChannel } from "../client/channel.js";
import { resolveDeadline } from "../core/deadline.js";
import { Metadata, type MetadataInit, toMetadata } from "../core/metadata.js";
import { type AnyMethodDefinition, esMethod, type MethodDefinition } from "../core/method-definition.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { MemoryServerCall } from "../memory/memory-server-call.js";
import { createMemoryTransport } from "../memory/memory-transport.js";
import { type Server, type ServerOptions, serverOver } from "../server/server.js";
import { serverLimits } from "../server/server-limits.js";
import { insecurePeerAuth } from "../transport/insecure-peer-auth.js";

/** A method to invoke: a tsgrpc MethodDefinition, or a protobuf-es method descriptor (`Users.method.createUser`). */
export type TestMethod = AnyMethodDefinition | DescMethod;

/** What a request to `M` may be given as. */
export type RequestOf<M> =
  // biome-ignore lint/suspicious/noExplicitAny: the erased parameters of a MethodDefinition.
  M extends MethodDefinition<any, any, infer ReqInit, any> ? ReqInit : M extends DescMethod ? MessageInitShape<M["input"]> : never;

/** The decoded response of `M`. */
export type ResponseOf<M> =
  // biome-ignore lint/suspicious/noExplicitAny: the erased parameters of a MethodDefinition.
  M extends MethodDefinition<any, infer Res, any, any> ? Res : M extends DescMethod ? MessageShape<M["output"]> : never;

/** How the in-process client calls: what the handler's ServicerContext will say. */
export interface InvokeOptions {
  /** The request metadata the handler sees in `invocationMetadata()`. */
  metadata?: MetadataInit | undefined;
  /** Seconds, like a client's timeout: the handler sees it in `timeRemaining()` and is cancelled at it. */
  timeout?: number | undefined;
  /** The deadline as a time (the earlier of it and `timeout` wins). */
  deadline?: Date | undefined;
  /** What `context.peer()` returns (default `ipv4:127.0.0.1:0`). */
  peer?: string | undefined;
  /** What `context.authContext()` returns (default: an insecure connection's). */
  authContext?: Record<string, Uint8Array[]> | undefined;
  /** The authContext key naming the peer, as under mutual TLS (`x509_common_name`). */
  peerIdentityKey?: string | null | undefined;
}

/** How an RPC ended. */
export interface Termination {
  /** The status code. */
  code: StatusCode;
  /** The status details. */
  details: string;
  /** The trailers. */
  trailingMetadata: Metadata;
}

/** How a unary-response RPC ended, with its response (null unless the code is OK). */
export interface UnaryTermination<Res> extends Termination {
  /** The response, null unless the code is OK. */
  response: Res | null;
}

/** What every in-process RPC offers the test. */
export interface TestRpc {
  /** The handler's response headers: when it sends them, or with its first message or status. */
  initialMetadata(): Promise<Metadata>;
  /** Cancels the RPC as the client would: the handler sees CANCELLED. */
  cancel(): void;
  /** False once the RPC has a status. */
  isActive(): boolean;
}

/** Requests of a client-streaming or bidi RPC, sent by the test. */
export interface TestRequests<Req> {
  /** Sends one request to the handler. */
  sendRequest(request: Req): void;
  /** No more requests (the client half-closes). */
  requestsClosed(): void;
}

/** Responses of a server-streaming or bidi RPC, taken by the test. */
export interface TestResponses<Res> {
  /** The next response; rejects with the RPC's RpcError if it ended without one more. */
  takeResponse(): Promise<Res>;
  /** Every remaining response, until the end of the RPC (whatever its status: see termination()). */
  responses(): AsyncIterable<Res>;
  /** How the RPC ended, once it has. */
  termination(): Promise<Termination>;
}

export interface UnaryUnaryTestRpc<Res> extends TestRpc {
  /** How the RPC ended, with its response, once it has. */
  termination(): Promise<UnaryTermination<Res>>;
}
export interface UnaryStreamTestRpc<Res> extends TestRpc, TestResponses<Res> {}
export interface StreamUnaryTestRpc<Req, Res> extends TestRpc, TestRequests<Req> {
  /** How the RPC ended, with its response, once it has. */
  termination(): Promise<UnaryTermination<Res>>;
}
export interface StreamStreamTestRpc<Req, Res> extends TestRpc, TestRequests<Req>, TestResponses<Res> {}

/** A server without a network for unit tests of servicers, like grpcio's `grpc_testing` server. */
export interface TestingServer {
  /** The server the servicers were added to (interceptors, limits and all). */
  readonly server: Server;
  /**
   * A channel to the server through memory, closed with it: generated stubs take it
   * (`new UsersStub(t.channel)`), and every client form works on it as over the network
   * (docs/testing.md).
   */
  readonly channel: Channel;
  /** Starts a unary-unary RPC with `request`. */
  invokeUnaryUnary<M extends TestMethod>(method: M, request: RequestOf<M>, options?: InvokeOptions): UnaryUnaryTestRpc<ResponseOf<M>>;
  /** Starts a unary-stream RPC with `request`. */
  invokeUnaryStream<M extends TestMethod>(method: M, request: RequestOf<M>, options?: InvokeOptions): UnaryStreamTestRpc<ResponseOf<M>>;
  /** Starts a stream-unary RPC; send its requests with `sendRequest`. */
  invokeStreamUnary<M extends TestMethod>(method: M, options?: InvokeOptions): StreamUnaryTestRpc<RequestOf<M>, ResponseOf<M>>;
  /** Starts a stream-stream RPC; send its requests with `sendRequest`. */
  invokeStreamStream<M extends TestMethod>(method: M, options?: InvokeOptions): StreamStreamTestRpc<RequestOf<M>, ResponseOf<M>>;
  /** Cancels RPCs still running and stops the server. */
  close(): Promise<void>;
  /** Closes the testing server (`await using t = ...`). */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A started server with no network: `setup` adds servicers to it as to a real one, then the test
 * invokes methods in-process. Each handler gets a real ServicerContext (metadata, deadline, abort,
 * signal) and runs through the same handler runner as over HTTP/2, with messages encoded and
 * decoded by the method's codec, so the servicer sees exactly what it would in production.
 *
 * @example
 * const t = await testingServer((s) => addUsersServicerToServer(new UsersService(), s));
 * const rpc = t.invokeUnaryUnary(Users.method.createUser, { username: "tom" }, { metadata: { ip: "1.2.3.4" } });
 * const { response, code } = await rpc.termination();
 * await t.close();
 */
export async function testingServer(setup: (server: Server) => void, options: ServerOptions = {}): Promise<TestingServer> {
  const { client, server: transport } = createMemoryTransport({ serverLimits: serverLimits(options) });
  const server = serverOver(transport, options);
  setup(server);
  await server.start();
  const channel = new RuntimeChannel(client);
  const close = () => {
    channel.close();
    return server.stop(null);
  };

  const start = (method: TestMethod, shape: [boolean, boolean], options: InvokeOptions = {}) => {
    const definition = definitionOf(method);
    if (definition.requestStream !== shape[0] || definition.responseStream !== shape[1]) {
      throw new TypeError(`${definition.path} is not a ${kindName(shape)} method`);
    }
    const auth = options.authContext === undefined ? insecurePeerAuth() : { properties: options.authContext, identityKey: null };
    if (options.peerIdentityKey !== undefined) auth.identityKey = options.peerIdentityKey;
    const call = transport.start(definition.path, {
      metadata: options.metadata === undefined ? new Metadata() : toMetadata(options.metadata).clone(),
      deadline: resolveDeadline({ timeout: options.timeout, deadline: options.deadline }),
      peer: options.peer ?? "ipv4:127.0.0.1:0",
      auth,
      // The invoke… methods hand the test whatever the handler sent.
      clientMaxReceiveMessageLength: Number.POSITIVE_INFINITY,
    });
    return { definition, call };
  };

  return {
    server,
    channel,
    invokeUnaryUnary(method, request, options) {
      const { definition, call } = start(method, [false, false], options);
      call.sendRequest(definition.serializeRequest(request));
      call.closeRequests();
      return { ...controls(call), termination: () => unaryTermination(call, definition) };
    },
    invokeUnaryStream(method, request, options) {
      const { definition, call } = start(method, [false, true], options);
      call.sendRequest(definition.serializeRequest(request));
      call.closeRequests();
      return { ...controls(call), ...responses(call, definition) };
    },
    invokeStreamUnary(method, options) {
      const { definition, call } = start(method, [true, false], options);
      return { ...controls(call), ...requests(call, definition), termination: () => unaryTermination(call, definition) };
    },
    invokeStreamStream(method, options) {
      const { definition, call } = start(method, [true, true], options);
      return { ...controls(call), ...requests(call, definition), ...responses(call, definition) };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function definitionOf(method: TestMethod): AnyMethodDefinition {
  return "kind" in method && method.kind === "rpc" ? esMethod(method) : (method as AnyMethodDefinition);
}

function kindName([requestStream, responseStream]: [boolean, boolean]): string {
  return `${requestStream ? "stream" : "unary"}-${responseStream ? "stream" : "unary"}`;
}

function controls(call: MemoryServerCall): TestRpc {
  return {
    initialMetadata: () => call.headers(),
    cancel: () => call.cancel(),
    isActive: () => !call.ended,
  };
}

function requests<Req>(call: MemoryServerCall, definition: AnyMethodDefinition): TestRequests<Req> {
  return {
    sendRequest: (request) => call.sendRequest(definition.serializeRequest(request)),
    requestsClosed: () => call.closeRequests(),
  };
}

function responses<Res>(call: MemoryServerCall, definition: AnyMethodDefinition): TestResponses<Res> {
  const take = async (): Promise<Res | null> => {
    const bytes = await call.takeResponse();
    return bytes === null ? null : (definition.deserializeResponse(bytes) as Res);
  };
  return {
    async takeResponse() {
      const response = await take();
      if (response !== null) return response;
      const status = await call.status();
      throw new RpcError(status.code, status.details, { method: definition.path, trailingMetadata: status.trailingMetadata });
    },
    async *responses() {
      for (let response = await take(); response !== null; response = await take()) yield response;
    },
    termination: async () => termination(await call.status()),
  };
}

async function unaryTermination<Res>(call: MemoryServerCall, definition: AnyMethodDefinition): Promise<UnaryTermination<Res>> {
  const bytes = await call.takeResponse();
  const status = await call.status();
  const response = bytes === null || status.code !== StatusCode.OK ? null : (definition.deserializeResponse(bytes) as Res);
  return { ...termination(status), response };
}

function termination(status: Termination): Termination {
  return { code: status.code, details: status.details, trailingMetadata: status.trailingMetadata };
}
