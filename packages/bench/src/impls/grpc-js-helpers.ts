/** Pieces shared by the benchmark's raw grpc-js implementations (floor, naive, proto-loader). */
import * as grpc from "@grpc/grpc-js";
import type { BenchServer } from "../impl.js";

/** Binds `server` on 127.0.0.1:0 and wraps it as a BenchServer. */
export async function bindGrpcServer(server: grpc.Server, sent: () => number): Promise<BenchServer> {
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    sent,
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

/**
 * Resolves when `call` may be written again (`'drain'`) or is gone (`'cancelled'`, `'close'`,
 * `'error'`), to whether writing may go on; the listeners are removed either way.
 */
export function drained(call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (writable: boolean) => () => {
      call.off("drain", onDrain);
      call.off("cancelled", onGone);
      call.off("close", onGone);
      call.off("error", onGone);
      resolve(writable);
    };
    const onDrain = finish(true);
    const onGone = finish(false);
    call.on("drain", onDrain);
    call.on("cancelled", onGone);
    call.on("close", onGone);
    call.on("error", onGone);
  });
}

/** Sends `count` copies of `user`, awaiting `'drain'` whenever write() says so (grpc-js's docs). */
export async function writeRespectingDrain<T>(
  call: grpc.ServerWritableStream<unknown, T>,
  count: number,
  user: T,
  onSent: () => void,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (call.cancelled) return;
    onSent();
    if (!call.write(user) && !(await drained(call))) return;
  }
  call.end();
}

/** Reads a client's server stream of `count`; resolves to how many arrived. */
export function readAll(stream: grpc.ClientReadableStream<unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = 0;
    stream.on("data", () => received++);
    stream.on("error", reject);
    stream.on("end", () => resolve(received));
  });
}

/** Writes `count` copies of `user` to a client stream, respecting `'drain'`, then ends it. */
export async function writeAllFromClient<T>(stream: grpc.ClientWritableStream<T>, count: number, user: T): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (!stream.write(user)) await new Promise((resolve) => stream.once("drain", resolve));
  }
  stream.end();
}

/** `count` ping-pong round trips on a grpc-js duplex stream. */
export async function pingPong<T>(stream: grpc.ClientDuplexStream<T, unknown>, count: number, user: T): Promise<number> {
  const iterator = stream[Symbol.asyncIterator]();
  let trips = 0;
  for (; trips < count; trips++) {
    stream.write(user);
    const next = await iterator.next();
    if (next.done) break;
  }
  stream.end();
  await iterator.next();
  return trips;
}

/** Reads one message per `readIntervalMs` for `durationMs` from a grpc-js stream, then cancels it. */
export async function slowReadStream(
  stream: grpc.ClientReadableStream<unknown>,
  durationMs: number,
  readIntervalMs: number,
): Promise<number> {
  stream.on("error", () => {});
  const end = performance.now() + durationMs;
  let read = 0;
  for await (const _ of stream) {
    read++;
    if (performance.now() >= end) break;
    await new Promise((resolve) => setTimeout(resolve, readIntervalMs));
  }
  stream.cancel();
  return read;
}

/** Calls a unary grpc-js method as a promise. */
export function unaryCall<Req, Res>(
  method: (request: Req, callback: (error: grpc.ServiceError | null, response?: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, (error, response) => (error ? reject(error) : resolve(response as Res)));
  });
}
