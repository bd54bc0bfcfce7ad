/**
 * Raw @grpc/grpc-js as its users write it, over any message codec: a hand-written service
 * definition, a `grpc.Client` calling `makeUnaryRequest` / `makeServerStreamRequest` / … on the
 * client, and `server.addService` with plain callbacks on the server, respecting `'drain'` (or,
 * `naive`, ignoring it: the slow-consumer counter-example). The floors are made of it.
 */
import * as grpc from "@grpc/grpc-js";
import type { BenchClient, BenchCodec, BenchImpl } from "../impl.js";
import { bindGrpcServer, pingPong, readAll, slowReadStream, writeAllFromClient, writeRespectingDrain } from "./grpc-js-helpers.js";

/** How one message type crosses the wire. */
export interface WireCodec<T> {
  serialize(message: T): Buffer;
  deserialize(bytes: Buffer): T;
}

/** The messages of the Bench service in one message library. */
export interface RawMessages<U, Q, S> {
  user: WireCodec<U>;
  streamRequest: WireCodec<Q>;
  summary: WireCodec<S>;
  /** The sample user. */
  sample: U;
  request(count: number): Q;
  summaryOf(count: number): S;
  countOf(summary: S): number;
  codec: BenchCodec;
}

function method<Req, Res>(
  name: string,
  requestStream: boolean,
  responseStream: boolean,
  request: WireCodec<Req>,
  response: WireCodec<Res>,
) {
  return {
    path: `/bench.v1.Bench/${name}`,
    requestStream,
    responseStream,
    requestSerialize: request.serialize,
    requestDeserialize: request.deserialize,
    responseSerialize: response.serialize,
    responseDeserialize: response.deserialize,
  };
}

/** The floor over `messages`: its server, its client and its codec. */
export function rawGrpcJs<U, Q, S>(messages: RawMessages<U, Q, S>, naive = false): BenchImpl {
  const { user, sample } = messages;
  const service = {
    Unary: method("Unary", false, false, user, user),
    ServerStream: method("ServerStream", false, true, messages.streamRequest, user),
    ClientStream: method("ClientStream", true, false, user, messages.summary),
    Bidi: method("Bidi", true, true, user, user),
  } satisfies grpc.ServiceDefinition;

  function startServer() {
    let sent = 0;
    const server = new grpc.Server();
    server.addService(service, {
      Unary: (call: grpc.ServerUnaryCall<U, U>, callback: grpc.sendUnaryData<U>) => callback(null, call.request),
      ServerStream: (call: grpc.ServerWritableStream<Q, U>) => {
        const count = (call.request as { count: number }).count;
        if (!naive) return void writeRespectingDrain(call, count, sample, () => sent++);
        for (let i = 0; i < count && !call.cancelled; i++, sent++) call.write(sample);
        call.end();
      },
      ClientStream: (call: grpc.ServerReadableStream<U, S>, callback: grpc.sendUnaryData<S>) => {
        let count = 0;
        call.on("data", () => count++);
        call.on("end", () => callback(null, messages.summaryOf(count)));
      },
      Bidi: (call: grpc.ServerDuplexStream<U, U>) => {
        call.on("data", (request: U) => call.write(request));
        call.on("end", () => call.end());
      },
    });
    return bindGrpcServer(server, () => sent);
  }

  function connect(port: number): Promise<BenchClient> {
    const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const { Unary, ServerStream, ClientStream, Bidi } = service;
    const serverStream = (count: number) =>
      client.makeServerStreamRequest(
        ServerStream.path,
        ServerStream.requestSerialize,
        ServerStream.responseDeserialize,
        messages.request(count),
      );
    return Promise.resolve({
      unary: () =>
        new Promise<void>((resolve, reject) => {
          client.makeUnaryRequest(Unary.path, Unary.requestSerialize, Unary.responseDeserialize, sample, (error) =>
            error ? reject(error) : resolve(),
          );
        }),
      serverStream: (count) => readAll(serverStream(count)),
      clientStream: async (count) => {
        let stream!: grpc.ClientWritableStream<U>;
        const done = new Promise<S>((resolve, reject) => {
          stream = client.makeClientStreamRequest(
            ClientStream.path,
            ClientStream.requestSerialize,
            ClientStream.responseDeserialize,
            (error, response) => (error ? reject(error) : resolve(response as S)),
          );
        });
        await writeAllFromClient(stream, count, sample);
        return messages.countOf(await done);
      },
      bidi: (count) => pingPong(client.makeBidiStreamRequest(Bidi.path, Bidi.requestSerialize, Bidi.responseDeserialize), count, sample),
      slowRead: (count, durationMs, readIntervalMs) => slowReadStream(serverStream(count), durationMs, readIntervalMs),
      close: () => client.close(),
    });
  }

  return { startServer, connect, codec: messages.codec };
}
