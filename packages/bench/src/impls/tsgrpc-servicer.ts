/** The Bench servicer of both tsgrpc variants, as a plain object (generated code accepts one). */

/** Handlers answering with `user`, and how many users ServerStream handed to the runtime. */
export function benchServicer<U, S>(user: U, summary: (count: number) => S) {
  let sent = 0;
  return {
    sent: () => sent,
    handlers: {
      Unary: (request: U): U => request,
      async *ServerStream(request: { count: number }): AsyncGenerator<U> {
        for (let i = 0; i < request.count; i++) {
          sent++;
          yield user;
        }
      },
      async ClientStream(requests: AsyncIterable<U>): Promise<S> {
        let count = 0;
        for await (const _ of requests) count++;
        return summary(count);
      },
      async *Bidi(requests: AsyncIterable<U>): AsyncGenerator<U> {
        yield* requests;
      },
    },
  };
}
