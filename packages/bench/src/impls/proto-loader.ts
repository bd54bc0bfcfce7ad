/** Raw grpc-js + @grpc/proto-loader (protobufjs messages loaded at run time), as its README shows. */
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { type BenchClient, type BenchImpl, sampleUser } from "../impl.js";
import {
  bindGrpcServer,
  pingPong,
  readAll,
  slowReadStream,
  unaryCall,
  writeAllFromClient,
  writeRespectingDrain,
} from "./grpc-js-helpers.js";

const protoFile = fileURLToPath(new URL("../../proto/bench/v1/bench.proto", import.meta.url));
const definition = protoLoader.loadSync(protoFile, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
// biome-ignore lint: proto-loader's package objects are untyped without proto-loader-gen-types.
const bench = (grpc.loadPackageDefinition(definition) as any).bench.v1;
const service: grpc.ServiceDefinition = bench.Bench.service;

interface PlainUser {
  username: string;
  user_id: number;
  email: string;
  tags: string[];
  created_at: string;
}

const user: PlainUser = {
  username: sampleUser.username,
  user_id: sampleUser.userId,
  email: sampleUser.email,
  tags: [...sampleUser.tags],
  created_at: String(sampleUser.createdAtMs),
};

async function startServer() {
  let sent = 0;
  const server = new grpc.Server();
  server.addService(service, {
    Unary: (call: grpc.ServerUnaryCall<PlainUser, PlainUser>, callback: grpc.sendUnaryData<PlainUser>) => callback(null, call.request),
    ServerStream: (call: grpc.ServerWritableStream<{ count: number }, PlainUser>) =>
      void writeRespectingDrain(call, call.request.count, user, () => sent++),
    ClientStream: (call: grpc.ServerReadableStream<PlainUser, { count: number }>, callback: grpc.sendUnaryData<{ count: number }>) => {
      let count = 0;
      call.on("data", () => count++);
      call.on("end", () => callback(null, { count }));
    },
    Bidi: (call: grpc.ServerDuplexStream<PlainUser, PlainUser>) => {
      call.on("data", (request: PlainUser) => call.write(request));
      call.on("end", () => call.end());
    },
  });
  return bindGrpcServer(server, () => sent);
}

function connect(port: number): Promise<BenchClient> {
  const client = new bench.Bench(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return Promise.resolve({
    unary: () => unaryCall(client.Unary.bind(client), user).then(() => {}),
    serverStream: (count) => readAll(client.ServerStream({ count })),
    clientStream: async (count) => {
      let done!: Promise<{ count: number }>;
      const stream = await new Promise<grpc.ClientWritableStream<PlainUser>>((resolve) => {
        done = new Promise((ok, fail) => {
          resolve(
            client.ClientStream((error: grpc.ServiceError | null, response?: { count: number }) =>
              error ? fail(error) : ok(response as { count: number }),
            ),
          );
        });
      });
      await writeAllFromClient(stream, count, user);
      return (await done).count;
    },
    bidi: (count) => pingPong(client.Bidi(), count, user),
    slowRead: (count, durationMs, readIntervalMs) => slowReadStream(client.ServerStream({ count }), durationMs, readIntervalMs),
    close: () => client.close(),
  });
}

const unaryDefinition = service.Unary as grpc.MethodDefinition<PlainUser, PlainUser>;

/** grpc-js + proto-loader. */
export const impl: BenchImpl = {
  startServer,
  connect,
  codec: {
    roundTrip(): number {
      const bytes = unaryDefinition.requestSerialize(user);
      unaryDefinition.requestDeserialize(bytes);
      return bytes.byteLength;
    },
  },
};
