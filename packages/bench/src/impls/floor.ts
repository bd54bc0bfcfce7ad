/**
 * The floor: raw @grpc/grpc-js, written as its docs do (callbacks, streams, `'drain'`), with the
 * same message codec as tsgrpc's default (@bufbuild/protobuf toBinary/fromBinary). Also exports
 * the naive server that ignores `'drain'`, the slow-consumer counter-example.
 */
import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { type StreamRequest, StreamRequestSchema, type Summary, SummarySchema, type User, UserSchema } from "../gen/bench/v1/bench_pb.js";
import { type BenchClient, type BenchImpl, sampleUser } from "../impl.js";
import { bindGrpcServer, pingPong, readAll, slowReadStream, unaryCall, writeAllFromClient, writeRespectingDrain } from "./grpc-js-helpers.js";

function codecOf<S extends DescMessage>(schema: S) {
  return {
    serialize: (message: MessageShape<S>): Buffer => {
      const bytes = toBinary(schema, message);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize: (bytes: Buffer): MessageShape<S> => fromBinary(schema, bytes),
  };
}

const user = codecOf(UserSchema);
const streamRequest = codecOf(StreamRequestSchema);
const summary = codecOf(SummarySchema);

/** The Bench service as a grpc-js ServiceDefinition over protobuf-es messages. */
const benchService = {
  Unary: { path: "/bench.v1.Bench/Unary", requestStream: false, responseStream: false, requestSerialize: user.serialize, requestDeserialize: user.deserialize, responseSerialize: user.serialize, responseDeserialize: user.deserialize },
  ServerStream: { path: "/bench.v1.Bench/ServerStream", requestStream: false, responseStream: true, requestSerialize: streamRequest.serialize, requestDeserialize: streamRequest.deserialize, responseSerialize: user.serialize, responseDeserialize: user.deserialize },
  ClientStream: { path: "/bench.v1.Bench/ClientStream", requestStream: true, responseStream: false, requestSerialize: user.serialize, requestDeserialize: user.deserialize, responseSerialize: summary.serialize, responseDeserialize: summary.deserialize },
  Bidi: { path: "/bench.v1.Bench/Bidi", requestStream: true, responseStream: true, requestSerialize: user.serialize, requestDeserialize: user.deserialize, responseSerialize: user.serialize, responseDeserialize: user.deserialize },
} satisfies grpc.ServiceDefinition;

const BenchClientCtor = grpc.makeGenericClientConstructor(benchService, "Bench");

/** The sample user as a protobuf-es message. */
export const esUser: User = create(UserSchema, {
  username: sampleUser.username,
  userId: sampleUser.userId,
  email: sampleUser.email,
  tags: [...sampleUser.tags],
  createdAt: BigInt(sampleUser.createdAtMs),
});

function makeServer(naive: boolean) {
  let sent = 0;
  const server = new grpc.Server();
  server.addService(benchService, {
    Unary: (call: grpc.ServerUnaryCall<User, User>, callback: grpc.sendUnaryData<User>) => callback(null, call.request),
    ServerStream: (call: grpc.ServerWritableStream<StreamRequest, User>) => {
      if (!naive) return void writeRespectingDrain(call, call.request.count, esUser, () => sent++);
      for (let i = 0; i < call.request.count && !call.cancelled; i++, sent++) call.write(esUser);
      call.end();
    },
    ClientStream: (call: grpc.ServerReadableStream<User, Summary>, callback: grpc.sendUnaryData<Summary>) => {
      let count = 0;
      call.on("data", () => count++);
      call.on("end", () => callback(null, create(SummarySchema, { count })));
    },
    Bidi: (call: grpc.ServerDuplexStream<User, User>) => {
      call.on("data", (request: User) => call.write(request));
      call.on("end", () => call.end());
    },
  });
  return bindGrpcServer(server, () => sent);
}

function connect(port: number): Promise<BenchClient> {
  // biome-ignore lint: grpc-js's generic client has untyped method properties.
  const client = new BenchClientCtor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as any;
  return Promise.resolve({
    unary: () => unaryCall<User, User>(client.Unary.bind(client), esUser).then(() => {}),
    serverStream: (count) => readAll(client.ServerStream(create(StreamRequestSchema, { count }))),
    clientStream: async (count) => {
      let done!: Promise<Summary>;
      const stream = await new Promise<grpc.ClientWritableStream<User>>((resolve) => {
        done = new Promise((ok, fail) => {
          resolve(client.ClientStream((error: grpc.ServiceError | null, response?: Summary) => (error ? fail(error) : ok(response as Summary))));
        });
      });
      await writeAllFromClient(stream, count, esUser);
      return (await done).count;
    },
    bidi: (count) => pingPong(client.Bidi(), count, esUser),
    slowRead: (count, durationMs, readIntervalMs) =>
      slowReadStream(client.ServerStream(create(StreamRequestSchema, { count })), durationMs, readIntervalMs),
    close: () => client.close(),
  });
}

const codec = {
  roundTrip(): number {
    const bytes = toBinary(UserSchema, esUser);
    fromBinary(UserSchema, bytes);
    return bytes.byteLength;
  },
};

/** Raw grpc-js + protobuf-es, respecting `'drain'`. */
export const impl: BenchImpl = { startServer: () => makeServer(false), connect, codec };

/** Raw grpc-js whose ServerStream handler ignores `'drain'` (slow-consumer counter-example). */
export const naiveImpl: BenchImpl = { startServer: () => makeServer(true), connect, codec };
