import {
  checkLeaksAfterAll,
  insecureChannelUnderTest,
  jsonMethod,
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from "@tsgrpc/test-utils";
import { Compression } from "../core/compression.js";
import { withWriteOptions } from "../core/write-options.js";
import type { Channel } from "./channel.js";
import type { ClientInterceptor } from "./client-interceptor.js";
import { interceptChannel } from "./intercepted-channel.js";

// What the client puts on the wire, seen by a raw HTTP/2 server below any gRPC library.

interface Msg {
  text: string;
}

const methods = {
  Unary: jsonMethod<Msg, Msg>("/test.Zip/Unary"),
  ServerStream: jsonMethod<Msg, Msg>("/test.Zip/ServerStream", { responseStream: true }),
  ClientStream: jsonMethod<Msg, Msg>("/test.Zip/ClientStream", { requestStream: true }),
  Bidi: jsonMethod<Msg, Msg>("/test.Zip/Bidi", { requestStream: true, responseStream: true }),
};

const big = { text: "compress me ".repeat(200) };

/** A client-streaming call gets one response; every other call its requests back. */
function replies(request: RecordedRequest): Buffer[] {
  const payloads = request.messages.map((m) => m.payload);
  return request.path.endsWith("/ClientStream") ? payloads.slice(-1) : payloads;
}

async function all<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

checkLeaksAfterAll();

describe("request compression", () => {
  let raw: RecordingServer;
  const channels: Channel[] = [];
  const open = (options = {}) => {
    const channel = insecureChannelUnderTest(`127.0.0.1:${raw.port}`, options);
    channels.push(channel);
    return channel;
  };
  const last = () => raw.requests[raw.requests.length - 1];

  beforeAll(async () => {
    raw = await startRecordingServer(replies);
  });
  afterAll(async () => {
    for (const channel of channels) channel.close();
    await raw.close();
  });

  it("sends uncompressed messages by default", async () => {
    await expect(open().unaryUnary(methods.Unary)(big)).resolves.toEqual(big);
    expect(last()?.messages.map((m) => m.compressed)).toEqual([false]);
  });

  it("gzips one call's requests when it asks, for each RPC kind", async () => {
    const channel = open();
    const gzip = { compression: Compression.Gzip };
    await expect(channel.unaryUnary(methods.Unary)(big, gzip)).resolves.toEqual(big);
    await expect(all(channel.unaryStream(methods.ServerStream)(big, gzip))).resolves.toEqual([big]);
    await expect(channel.streamUnary(methods.ClientStream)([big, big], gzip)).resolves.toEqual(big);
    await expect(all(channel.streamStream(methods.Bidi)([big, big, big], gzip))).resolves.toEqual([big, big, big]);
    const recorded = raw.requests.slice(-4);
    expect(recorded.map((r) => r.path)).toEqual(["/test.Zip/Unary", "/test.Zip/ServerStream", "/test.Zip/ClientStream", "/test.Zip/Bidi"]);
    for (const request of recorded) {
      expect(request.headers["grpc-encoding"]).toBe("gzip");
      for (const message of request.messages) {
        expect(message.compressed).toBe(true);
        expect(JSON.parse(message.payload.toString())).toEqual(big);
        expect(message.wireBytes).toBeLessThan(message.payload.length / 10);
      }
    }
    // The same channel still sends other calls uncompressed.
    await channel.unaryUnary(methods.Unary)(big);
    expect(last()?.messages[0]?.compressed).toBe(false);
  });

  it("deflates when asked", async () => {
    await open().unaryUnary(methods.Unary)(big, { compression: Compression.Deflate });
    expect(last()?.headers["grpc-encoding"]).toBe("deflate");
    expect(last()?.messages[0]?.compressed).toBe(true);
  });

  it("compresses every call of a channel created with compression, unless a call says otherwise", async () => {
    const channel = open({ compression: Compression.Gzip });
    await channel.unaryUnary(methods.Unary)(big);
    expect(last()?.headers["grpc-encoding"]).toBe("gzip");
    expect(last()?.messages[0]?.compressed).toBe(true);
    await channel.unaryUnary(methods.Unary)(big, { compression: Compression.NoCompression });
    expect(last()?.messages[0]?.compressed).toBe(false);
  });

  it("sends a message written with noCompress uncompressed, the call's others compressed", async () => {
    const channel = open();
    const gzip = { compression: Compression.Gzip };
    const flags = () => last()?.messages.map((m) => m.compressed);
    const texts = () => last()?.messages.map((m) => JSON.parse(m.payload.toString()).text);
    const other = { text: "sent as is ".repeat(200) };

    await channel.streamUnary(methods.ClientStream)([big, withWriteOptions(other, { noCompress: true })], gzip);
    expect(flags()).toEqual([true, false]);
    expect(texts()).toEqual([big.text, other.text]);
    expect(last()?.headers["grpc-encoding"]).toBe("gzip");

    async function* requests() {
      yield withWriteOptions(other, { noCompress: true });
      yield big;
      yield withWriteOptions(big, {});
    }
    await all(channel.streamStream(methods.Bidi)(requests(), gzip));
    expect(flags()).toEqual([false, true, true]);
    expect(texts()).toEqual([other.text, big.text, big.text]);

    const duplex = channel.streamStream(methods.Bidi)(gzip);
    await duplex.write(big);
    await duplex.write(other, { noCompress: true });
    duplex.doneWriting();
    await all(duplex);
    expect(flags()).toEqual([true, false]);

    // Without compression the option changes nothing.
    await channel.streamUnary(methods.ClientStream)([withWriteOptions(big, { noCompress: true }), big]);
    expect(flags()).toEqual([false, false]);
  });
  it("keeps a write's noCompress through interceptors (a duplex call on an intercepted channel)", async () => {
    const passThrough: ClientInterceptor = { interceptStreamStream: (continuation, details, requests) => continuation(details, requests) };
    const channel = interceptChannel(open(), passThrough);
    const other = { text: "sent as is ".repeat(200) };
    const duplex = channel.streamStream(methods.Bidi)({ compression: Compression.Gzip });
    await duplex.write(big);
    await duplex.write(other, { noCompress: true });
    duplex.doneWriting();
    await all(duplex);
    expect(last()?.messages.map((m) => m.compressed)).toEqual([true, false]);

    // A write after doneWriting() is refused, naming the method, while the call still runs.
    const done = channel.streamStream(methods.Bidi)({ compression: Compression.Gzip });
    done.doneWriting();
    await expect(done.write(big)).rejects.toThrow("/test.Zip/Bidi: cannot write after doneWriting()");
    await all(done);
  });
});

describe("request compression against a server whose grpc-accept-encoding has spaces (C-core's)", () => {
  // grpc-js reads `identity, deflate, gzip` as not accepting gzip and, left alone, stops compressing
  // on a channel once that channel has had one response (see grpc-js/compressing-clients.ts).
  let raw: RecordingServer;
  let channel: Channel;

  beforeAll(async () => {
    raw = await startRecordingServer(replies, { "grpc-accept-encoding": "identity, deflate, gzip" });
    channel = insecureChannelUnderTest(`127.0.0.1:${raw.port}`);
  });
  afterAll(async () => {
    channel.close();
    await raw.close();
  });

  it("compresses every call that asks, one after another and concurrently, over one connection", async () => {
    const unary = channel.unaryUnary(methods.Unary);
    const gzip = { compression: Compression.Gzip };
    for (let i = 0; i < 4; i++) await expect(unary(big, gzip)).resolves.toEqual(big);
    await Promise.all([unary(big, gzip), unary(big, gzip), channel.streamUnary(methods.ClientStream)([big, big], gzip)]);
    await expect(unary(big, gzip)).resolves.toEqual(big);
    expect(raw.requests.map((r) => r.headers["grpc-encoding"])).toEqual(Array(8).fill("gzip"));
    expect(raw.requests.flatMap((r) => r.messages.map((m) => m.compressed))).toEqual(Array(9).fill(true));
    expect(new Set(raw.requests.map((r) => r.connection))).toEqual(new Set([1]));
  });
});
