import * as http2 from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { SimpleRequestSchema, SimpleResponseSchema } from "./gen/grpc/testing/messages_pb.js";

/** What a server put on the wire for a UnaryCall that asked for a compressed response. */
export interface WireResponse {
  /** The response's `grpc-encoding` header, if any. */
  encoding: string | undefined;
  /** The compressed flag of the response message. */
  compressed: boolean;
  /** The decoded payload size (when uncompressed). */
  payloadSize: number | null;
}

/**
 * Calls UnaryCall with `response_compressed: true` over raw HTTP/2 (below any gRPC library) and
 * reports the response message's compressed flag: the one fact server_compressed_* asks for that no
 * grpc-js client can see.
 */
export async function compressedResponseOnWire(target: string): Promise<WireResponse> {
  const session = http2.connect(`http://${target}`);
  session.on("error", () => {});
  try {
    const message = toBinary(
      SimpleRequestSchema,
      create(SimpleRequestSchema, { responseSize: 314159, responseCompressed: { value: true } }),
    );
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    const stream = session.request({
      ":method": "POST",
      ":path": "/grpc.testing.TestService/UnaryCall",
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-accept-encoding": "identity,gzip",
    });
    const headers = new Promise<http2.IncomingHttpHeaders>((resolve) => stream.once("response", resolve));
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      stream.once("end", resolve);
      stream.once("error", reject);
    });
    stream.end(frame);
    const encoding = (await headers)["grpc-encoding"];
    await ended;
    const body = Buffer.concat(chunks);
    const compressed = body[0] === 1;
    const payloadSize = compressed ? null : (fromBinary(SimpleResponseSchema, body.subarray(5)).payload?.body.length ?? 0);
    return { encoding: typeof encoding === "string" ? encoding : undefined, compressed, payloadSize };
  } finally {
    session.close();
  }
}
