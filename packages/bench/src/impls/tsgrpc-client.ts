/** The BenchClient over a generated tsgrpc stub: shared by both message variants of tsgrpc. */
import type { Channel, DuplexCall, RequestIterable } from "@tsgrpc/runtime";
import type { BenchClient } from "../impl.js";

/** What the bench uses of a generated `BenchStub`, whichever messages it was generated with. */
export interface BenchStubLike<U> {
  Unary(request: U): Promise<unknown>;
  ServerStream(request: { count: number }): AsyncIterable<unknown>;
  ClientStream(requests: RequestIterable<U>): Promise<{ count: number }>;
  Bidi(): DuplexCall<U, unknown>;
}

function* repeat<U>(user: U, count: number): Generator<U> {
  for (let i = 0; i < count; i++) yield user;
}

/** A BenchClient sending `user` through `stub`; closing it closes `channel`. */
export function stubClient<U>(stub: BenchStubLike<U>, channel: Channel, user: U): BenchClient {
  return {
    unary: async () => {
      await stub.Unary(user);
    },
    serverStream: async (count) => {
      let received = 0;
      for await (const _ of stub.ServerStream({ count })) received++;
      return received;
    },
    clientStream: async (count) => (await stub.ClientStream(repeat(user, count))).count,
    bidi: async (count) => {
      const call = stub.Bidi();
      const replies = call[Symbol.asyncIterator]();
      let trips = 0;
      for (; trips < count; trips++) {
        await call.write(user);
        if ((await replies.next()).done) break;
      }
      call.doneWriting();
      await replies.next();
      return trips;
    },
    slowRead: async (count, durationMs, readIntervalMs) => {
      const end = performance.now() + durationMs;
      let read = 0;
      // Leaving the loop cancels the RPC.
      for await (const _ of stub.ServerStream({ count })) {
        read++;
        if (performance.now() >= end) break;
        await new Promise((resolve) => setTimeout(resolve, readIntervalMs));
      }
      return read;
    },
    close: () => void channel.close(),
  };
}
