import * as net from "node:net";
import * as grpc from "@grpc/grpc-js";
import { checkLeaksAfterAll, deferred, insecureChannelUnderTest, jsonMethod, settled, sleep } from "@tsgrpc/test-utils";
import type { MethodDefinition } from "../core/method-definition.js";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import type { Channel } from "./channel.js";
import type { ResponseStream } from "./response-stream.js";

// How the client reads response streams, for both kinds that have one: how far it reads ahead of
// a consumer that stops pulling (bounded in bytes, grpc-js's own buffers included), and what a
// deadline or a cancel does to what was read ahead (grpcio hands none of it out) while a server's
// own ending does not drop anything. The server is plain grpc-js, so that these tests hold
// whatever the runtime's server does.

/** What the flood server is asked to send: `count` messages of `size` bytes, then `ending`. */
interface Flood {
  count: number;
  size: number;
  /** ok: status OK; error: RESOURCE_EXHAUSTED; deadline: a DEADLINE_EXCEEDED of its own; hold: wait to be cancelled. */
  ending: "ok" | "error" | "deadline" | "hold";
}

const identity = (bytes: Uint8Array) => bytes;
const json = jsonMethod<Flood, never>("/test.Flood/Flood");
const methods = {
  Flood: { ...json, responseStream: true, deserializeResponse: identity },
  Chat: { ...json, path: "/test.Flood/Chat", requestStream: true, responseStream: true, deserializeResponse: identity },
} satisfies Record<string, MethodDefinition<Flood, Uint8Array>>;

type Kind = "unary-stream" | "stream-stream";
const kinds: Kind[] = ["unary-stream", "stream-stream"];

/** Every call a test starts, cancelled after the test (a failed assertion must not leave one open). */
const started = new Set<ResponseStream<Uint8Array>>();

function call(channel: Channel, kind: Kind, flood: Flood, options: { timeout?: number } = {}): ResponseStream<Uint8Array> {
  const stream =
    kind === "unary-stream" ? channel.unaryStream(methods.Flood)(flood, options) : channel.streamStream(methods.Chat)([flood], options);
  started.add(stream);
  return stream;
}

/** Writes as fast as grpc-js takes messages ('drain'), then ends as asked; resolves when the call is over. */
function flood(stream: grpc.ServerWritableStream<Buffer, Buffer> | grpc.ServerDuplexStream<Buffer, Buffer>, request: Flood): Promise<void> {
  const over = deferred();
  let cancelled = false;
  stream.on("cancelled", () => {
    cancelled = true;
    over.resolve();
  });
  stream.on("error", () => {});
  // One buffer written again and again: the server's own buffering costs no memory.
  const payload = Buffer.alloc(request.size, 120);
  let sent = 0;
  const pump = () => {
    while (!cancelled && sent < request.count) {
      sent++;
      if (!stream.write(payload)) return void stream.once("drain", pump);
    }
    if (cancelled || request.ending === "hold") return;
    if (request.ending === "ok") stream.end();
    else if (request.ending === "error") stream.emit("error", { code: grpc.status.RESOURCE_EXHAUSTED, details: "out of quota" });
    else stream.emit("error", { code: grpc.status.DEADLINE_EXCEEDED, details: "downstream deadline" });
    over.resolve();
  };
  pump();
  return over.promise;
}

const passThrough = (bytes: Buffer) => bytes;
const floodService: grpc.ServiceDefinition = {
  Flood: {
    path: methods.Flood.path,
    requestStream: false,
    responseStream: true,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  },
  Chat: {
    path: methods.Chat.path,
    requestStream: true,
    responseStream: true,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  },
};
const parse = (bytes: Buffer) => JSON.parse(bytes.toString()) as Flood;

/** A TCP proxy in front of the server that counts the bytes it has passed on to the client. */
interface CountingProxy {
  port: number;
  /** Bytes from the server handed to the client's socket so far. */
  toClient: number;
  close(): Promise<void>;
}

async function startCountingProxy(serverPort: number): Promise<CountingProxy> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  };
  const proxy: CountingProxy = { port: 0, toClient: 0, close: async () => {} };
  const listener = net.createServer((client) => {
    const upstream = net.connect(serverPort, "127.0.0.1");
    track(client);
    track(upstream);
    upstream.on("data", (chunk: Buffer) => {
      proxy.toClient += chunk.length;
      if (!client.write(chunk)) {
        upstream.pause();
        client.once("drain", () => upstream.resume());
      }
    });
    client.pipe(upstream);
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  proxy.port = (listener.address() as net.AddressInfo).port;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      listener.close(() => resolve());
    });
  return proxy;
}

/** Reads the rest of `stream`: how many messages it gave, and the error it ended with. */
async function drain(stream: ResponseStream<Uint8Array>): Promise<{ messages: number; error: RpcError | null }> {
  let messages = 0;
  try {
    for await (const _ of stream) messages++;
    return { messages, error: null };
  } catch (error) {
    return { messages, error: error as RpcError };
  }
}

/** Blocks the event loop: a consumer busy with synchronous work, during which no timer runs. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

checkLeaksAfterAll();

describe("reading response streams", () => {
  const server = new grpc.Server();
  let proxy: CountingProxy;
  let channel: Channel;
  const calls = new Set<Promise<void>>();
  const serve = (stream: grpc.ServerWritableStream<Buffer, Buffer> | grpc.ServerDuplexStream<Buffer, Buffer>, request: Flood) => {
    const over = flood(stream, request);
    calls.add(over);
    void over.then(() => calls.delete(over));
  };

  beforeAll(async () => {
    server.addService(floodService, {
      Flood: (stream: grpc.ServerWritableStream<Buffer, Buffer>) => serve(stream, parse(stream.request)),
      Chat: (stream: grpc.ServerDuplexStream<Buffer, Buffer>) => stream.once("data", (bytes: Buffer) => serve(stream, parse(bytes))),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    proxy = await startCountingProxy(port);
    channel = insecureChannelUnderTest(`127.0.0.1:${proxy.port}`);
  });
  afterAll(async () => {
    channel.close();
    await Promise.all(calls);
    server.forceShutdown();
    await proxy.close();
  });
  // Every call a test leaves is over on the server before the next test starts.
  afterEach(async () => {
    for (const stream of started) stream.cancel();
    started.clear();
    await Promise.all(calls);
  });

  describe.each(kinds)("%s", (kind) => {
    it("a consumer that stops reading has at most one 4 MB message read ahead, grpc-js's buffers included", async () => {
      const size = 4_000_000;
      const before = proxy.toClient;
      const stream = call(channel, kind, { count: 40, size, ending: "hold" });
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.value).toHaveLength(size);
      // Whatever crossed the wire and was not consumed sits in the client process.
      const received = (await settled(() => proxy.toClient)) - before;
      const readAhead = received - size;
      // One message read ahead, another partly in HTTP/2 buffers, and the flow-control windows:
      // not the 16 + 16 messages (128 MB) grpc-js's stream and a message-counting reader held.
      expect(readAhead).toBeLessThanOrEqual(2 * size + 1024 * 1024);
      // Reading resumes where it stopped.
      for (let i = 0; i < 3; i++) expect((await iterator.next()).value).toHaveLength(size);
      await iterator.return?.();
      expect(await stream.code()).toBe(StatusCode.CANCELLED);
    });

    it("small messages still stream in full, then OK", async () => {
      const { messages, error } = await drain(call(channel, kind, { count: 20_000, size: 10, ending: "ok" }));
      expect(error).toBeNull();
      expect(messages).toBe(20_000);
    });

    it("a deadline that passes while the consumer sleeps: at most 1 message, then DEADLINE_EXCEEDED", async () => {
      const stream = call(channel, kind, { count: 100, size: 100, ending: "hold" }, { timeout: 0.3 });
      await stream.initialMetadata();
      await sleep(500);
      const { messages, error } = await drain(stream);
      expect(messages).toBeLessThanOrEqual(1);
      expect(error).toBeInstanceOf(RpcError);
      expect(error?.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(error?.details()).toBe("Deadline Exceeded");
    });

    it("a deadline that passes while the consumer blocks the event loop: at most 1 message, then DEADLINE_EXCEEDED", async () => {
      const stream = call(channel, kind, { count: 100, size: 100, ending: "hold" }, { timeout: 0.3 });
      const iterator = stream[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      // Let the rest arrive, then stay busy past the deadline: grpc-js's timer cannot run meanwhile.
      await sleep(100);
      busyFor(400);
      let messages = 0;
      const error = await (async () => {
        for (;;) {
          if ((await iterator.next()).done) return null;
          messages++;
        }
      })().catch((e: unknown) => e as RpcError);
      expect(messages).toBeLessThanOrEqual(1);
      expect(error?.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
      expect(error?.details()).toBe("Deadline Exceeded");
    });

    it("after cancel() with messages read ahead, the next read raises CANCELLED at once", async () => {
      const stream = call(channel, kind, { count: 100, size: 100, ending: "hold" });
      const iterator = stream[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      await sleep(200);
      stream.cancel();
      const error = (await iterator.next().catch((e: unknown) => e)) as RpcError;
      expect(error).toBeInstanceOf(RpcError);
      expect(error.code()).toBe(StatusCode.CANCELLED);
      expect(error.details()).toBe("Locally cancelled by application!");
    });

    it.each([
      ["an OK status", "ok", null, null],
      ["the server's error", "error", StatusCode.RESOURCE_EXHAUSTED, "out of quota"],
      [
        "a DEADLINE_EXCEEDED the server sends before the call's own deadline",
        "deadline",
        StatusCode.DEADLINE_EXCEEDED,
        "downstream deadline",
      ],
    ] as const)(
      "a consumer that sleeps still gets every message sent before %s, then that ending",
      async (_ending, ending, code, details) => {
        const stream = call(channel, kind, { count: 20, size: 100, ending }, { timeout: 30 });
        await stream.initialMetadata();
        await sleep(300);
        const { messages, error } = await drain(stream);
        expect(messages).toBe(20);
        expect(error?.code() ?? null).toBe(code);
        expect(error?.details() ?? null).toBe(details);
      },
    );
  });
});
