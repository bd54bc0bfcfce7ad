import type * as http2 from "node:http2";

/** What a raw HTTP/2 client saw of one gRPC call. */
export interface RawAnswer {
  httpStatus: number | undefined;
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders | undefined;
  /** grpc-status and grpc-message, from the trailers or a trailers-only response. */
  status: string | undefined;
  message: string | undefined;
  /** The response messages as they came off the wire: the compressed flag and the bytes, unframed. */
  messages: { compressed: boolean; data: Buffer }[];
  body: Buffer;
  rstCode: number | undefined;
}

/** A gRPC message with its 5-byte prefix. */
export function frame(data: Uint8Array, compressed = false): Buffer {
  const header = Buffer.alloc(5);
  header[0] = compressed ? 1 : 0;
  header.writeUInt32BE(data.byteLength, 1);
  return Buffer.concat([header, data]);
}

/**
 * Calls `path` on `session` below any gRPC library: sends `headers` (over gRPC's defaults), writes
 * `chunks` one by one (each its own DATA frame at least), ends the stream and resolves once it has
 * closed, with everything the server sent.
 */
export async function rawGrpcCall(
  session: http2.ClientHttp2Session,
  path: string,
  chunks: Uint8Array[],
  headers: http2.OutgoingHttpHeaders = {},
): Promise<RawAnswer> {
  const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...headers });
  const answer: RawAnswer = {
    httpStatus: undefined,
    headers: {},
    trailers: undefined,
    status: undefined,
    message: undefined,
    messages: [],
    body: Buffer.alloc(0),
    rstCode: undefined,
  };
  const body: Buffer[] = [];
  stream.on("response", (h) => {
    answer.httpStatus = h[":status"];
    answer.headers = h;
    if (h["grpc-status"] !== undefined)
      [answer.status, answer.message] = [String(h["grpc-status"]), h["grpc-message"] as string | undefined];
  });
  stream.on("trailers", (t) => {
    answer.trailers = t;
    [answer.status, answer.message] = [String(t["grpc-status"]), t["grpc-message"] as string | undefined];
  });
  stream.on("data", (chunk: Buffer) => body.push(chunk));
  stream.on("error", () => {});
  const streamClosed = new Promise<void>((resolve) => stream.once("close", () => resolve()));
  for (const chunk of chunks) {
    // A stream the server (or Node) has already ended takes no more writes: stop at its close.
    await Promise.race([new Promise<void>((resolve) => stream.write(chunk, () => resolve())), streamClosed]);
  }
  stream.end();
  await streamClosed;
  answer.body = Buffer.concat(body);
  answer.rstCode = stream.rstCode;
  for (let at = 0; at + 5 <= answer.body.length; ) {
    const length = answer.body.readUInt32BE(at + 1);
    answer.messages.push({ compressed: answer.body[at] === 1, data: answer.body.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return answer;
}
