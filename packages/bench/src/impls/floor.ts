/**
 * The floor (issue #16): raw @grpc/grpc-js as its users write it (see raw-grpc-js.ts) over
 * ts-proto's messages, serialized as ts-proto's `outputServices=grpc-js` does
 * (`Buffer.from(User.encode(user).finish())`, `User.decode(buffer)`).
 */
import { StreamRequest, Summary, User } from "../gen-ts-proto/bench/v1/bench.js";
import type { BenchImpl } from "../impl.js";
import { type RawMessages, rawGrpcJs, type WireCodec } from "./raw-grpc-js.js";
import { tsProtoUser } from "./ts-proto-user.js";

function wire<T>(type: { encode(message: T): { finish(): Uint8Array }; decode(bytes: Uint8Array): T }): WireCodec<T> {
  return {
    serialize: (message) => Buffer.from(type.encode(message).finish()),
    deserialize: (bytes) => type.decode(bytes),
  };
}

const messages: RawMessages<User, StreamRequest, Summary> = {
  user: wire(User),
  streamRequest: wire(StreamRequest),
  summary: wire(Summary),
  sample: tsProtoUser,
  request: (count) => ({ count }),
  summaryOf: (count) => ({ count }),
  countOf: (summary) => summary.count,
  codec: {
    roundTrip(): number {
      const bytes = User.encode(tsProtoUser).finish();
      User.decode(bytes);
      return bytes.byteLength;
    },
  },
};

/** Raw grpc-js + ts-proto, respecting `'drain'`. */
export const impl: BenchImpl = rawGrpcJs(messages);

/** Raw grpc-js + ts-proto whose ServerStream handler ignores `'drain'` (slow-consumer counter-example). */
export const naiveImpl: BenchImpl = rawGrpcJs(messages, true);
