import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { gunzipSync, inflateSync } from "node:zlib";

/** One gRPC message frame as it crossed the wire. */
export interface RecordedMessage {
  /** The frame's compressed flag. */
  compressed: boolean;
  /** The payload after decompressing it with the stream's `grpc-encoding`. */
  payload: Buffer;
  /** The payload's size on the wire. */
  wireBytes: number;
}

/** One RPC as the recording server received it. */
export interface RecordedRequest {
  path: string;
  headers: http2.IncomingHttpHeaders;
  messages: RecordedMessage[];
  /** Which connection it came on: 1 for the first the server accepted, 2 for the next, … */
  connection: number;
}

/** A raw HTTP/2 gRPC server that records requests byte for byte. */
export interface RecordingServer {
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A minimal gRPC server on `node:http2`, below any gRPC library, for tests that must see what a
 * client put on the wire (the `grpc-encoding` header, each frame's compressed flag). Whatever the
 * method, it reads every request message, then answers with the payloads `replies` picks (by
 * default, each request's own), uncompressed, and status OK. `responseHeaders` are added to its
 * response headers (e.g. the `grpc-accept-encoding` of another implementation).
 */
export async function startRecordingServer(
  replies: (request: RecordedRequest) => Buffer[] = (request) => request.messages.map((m) => m.payload),
  responseHeaders: Record<string, string> = {},
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const sessions = new Map<http2.ServerHttp2Session, number>();
  let accepted = 0;
  const server = http2.createServer();
  server.on("session", (session) => {
    sessions.set(session, ++accepted);
    session.on("close", () => sessions.delete(session));
  });
  server.on("stream", (stream, headers) => {
    const connection = sessions.get(stream.session as http2.ServerHttp2Session) ?? 0;
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const encoding = String(headers["grpc-encoding"] ?? "identity");
      const messages = parseFrames(Buffer.concat(chunks), encoding);
      const request = { path: String(headers[":path"]), headers, messages, connection };
      requests.push(request);
      stream.respond({ ":status": 200, "content-type": "application/grpc", ...responseHeaders }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(Buffer.concat(replies(request).map(frame)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions.keys()) session.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseFrames(bytes: Buffer, encoding: string): RecordedMessage[] {
  const messages: RecordedMessage[] = [];
  for (let at = 0; at + 5 <= bytes.length; ) {
    const compressed = bytes[at] === 1;
    const length = bytes.readUInt32BE(at + 1);
    const body = bytes.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    const payload = !compressed ? body : encoding === "gzip" ? gunzipSync(body) : inflateSync(body);
    messages.push({ compressed, payload, wireBytes: length });
  }
  return messages;
}

function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}
