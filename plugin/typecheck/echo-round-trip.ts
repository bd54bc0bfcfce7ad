// Shared by the consumer projects of compile.test.ts: one round trip of each RPC kind through a
// generated echo stub and servicer, whatever the variant (protobuf-es, ts-proto, JavaScript).

/** What every variant's `EchoStub` offers, structurally. */
export interface EchoStubLike {
  Unary(request: { message: string }): Promise<{ message: string }>;
  ServerStream(request: { message: string; count: number }): AsyncIterable<{ message: string; index: number }>;
  ClientStream(requests: Iterable<{ message: string }>): Promise<{ message: string }>;
  Bidi(requests: Iterable<{ message: string }>): AsyncIterable<{ message: string; index: number }>;
}

/**
 * The parts of `@tsgrpc/runtime` a round trip uses, as parameters: a CommonJS consumer passes its
 * CommonJS runtime, whose types are not those of the ES module runtime this file would import.
 */
export interface RuntimeLike<S, C> {
  server(): S & {
    addInsecurePort(address: string): Promise<number>;
    start(): Promise<void>;
    stop(grace: number | null): Promise<void>;
  };
  insecureChannel(target: string): C & { close(): void };
}

/**
 * Serves `register`'s servicer on a free port, calls it through `stub` and throws unless every
 * answer is what an echo servicer answers.
 */
export async function echoRoundTrip<S, C>(
  label: string,
  runtime: RuntimeLike<S, C>,
  register: (server: S) => void,
  stub: (channel: C) => EchoStubLike,
): Promise<void> {
  const srv = runtime.server();
  register(srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  const channel = runtime.insecureChannel(`127.0.0.1:${port}`);
  try {
    const echo = stub(channel);
    const unary = await echo.Unary({ message: "one" });
    const stream: string[] = [];
    for await (const r of echo.ServerStream({ message: "s", count: 3 })) {
      stream.push(`${r.message}${r.index}`);
    }
    const joined = await echo.ClientStream([{ message: "a" }, { message: "b" }]);
    const bidi: string[] = [];
    for await (const r of echo.Bidi([{ message: "x" }, { message: "y" }])) {
      bidi.push(`${r.message}${r.index}`);
    }
    const got = JSON.stringify([unary.message, stream, joined.message, bidi]);
    const want = JSON.stringify(["one", ["s0", "s1", "s2"], "a b", ["x0", "y1"]]);
    if (got !== want) {
      throw new Error(`${label}: got ${got}, want ${want}`);
    }
  } finally {
    channel.close();
    await srv.stop(0);
  }
}

/** The servicer behaviour every variant implements, on plain objects. */
export const echoBehaviour = {
  unary: (request: { message: string }) => ({ message: request.message, index: 0 }),
  *serverStream(request: { message: string; count: number }) {
    for (let index = 0; index < request.count; index++) {
      yield { message: request.message, index };
    }
  },
  async clientStream(requests: AsyncIterable<{ message: string }>) {
    const parts: string[] = [];
    for await (const r of requests) {
      parts.push(r.message);
    }
    return { message: parts.join(" "), index: 0 };
  },
  async *bidi(requests: AsyncIterable<{ message: string }>) {
    let index = 0;
    for await (const r of requests) {
      yield { message: r.message, index: index++ };
    }
  },
};
