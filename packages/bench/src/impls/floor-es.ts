/**
 * Raw @grpc/grpc-js as its users write it (see raw-grpc-js.ts) over tsgrpc's default codec,
 * @bufbuild/protobuf's toBinary/fromBinary: the floor of issue #9, whose targets compare the
 * runtimes with the codec held equal. Beside the floor (ts-proto), it shows what the codec costs.
 */
import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { type StreamRequest, StreamRequestSchema, type Summary, SummarySchema, type User, UserSchema } from "../gen/bench/v1/bench_pb.js";
import { type BenchImpl, sampleUser } from "../impl.js";
import { type RawMessages, rawGrpcJs, type WireCodec } from "./raw-grpc-js.js";

function wire<S extends DescMessage>(schema: S): WireCodec<MessageShape<S>> {
  return {
    serialize: (message) => {
      const bytes = toBinary(schema, message);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize: (bytes) => fromBinary(schema, bytes),
  };
}

/** The sample user as a protobuf-es message. */
export const esUser: User = create(UserSchema, {
  username: sampleUser.username,
  userId: sampleUser.userId,
  email: sampleUser.email,
  tags: [...sampleUser.tags],
  createdAt: BigInt(sampleUser.createdAtMs),
});

const messages: RawMessages<User, StreamRequest, Summary> = {
  user: wire(UserSchema),
  streamRequest: wire(StreamRequestSchema),
  summary: wire(SummarySchema),
  sample: esUser,
  request: (count) => create(StreamRequestSchema, { count }),
  summaryOf: (count) => create(SummarySchema, { count }),
  countOf: (summary) => summary.count,
  codec: {
    roundTrip(): number {
      const bytes = toBinary(UserSchema, esUser);
      fromBinary(UserSchema, bytes);
      return bytes.byteLength;
    },
  },
};

/** Raw grpc-js + protobuf-es, respecting `'drain'`. */
export const impl: BenchImpl = rawGrpcJs(messages);
