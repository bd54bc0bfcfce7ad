import { once } from "node:events";
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { toJson } from "@bufbuild/protobuf";
import { RpcError, StatusCode } from "@tsgrpc/runtime";
import type { UsersStub } from "../gen/users/users_grpc.js";
import { GetUsersResultSchema } from "../gen/users/users_types_pb.js";
import { httpStatusFromGrpc } from "./http-status.js";
import { usersPageHtml } from "./page.js";

/** Options of the users web gateway. */
export interface UsersGatewayOptions {
  /** Seconds one `GetUsers` call may take; past it the client gets 504. Default 10. */
  timeout?: number;
}

/** A running gateway: its HTTP server, the port it bound, and a `close()` that waits for it. */
export interface WebGateway {
  server: HttpServer;
  port: number;
  close(): Promise<void>;
}

const ndjsonHeaders = {
  "content-type": "application/x-ndjson; charset=utf-8",
  "cache-control": "no-store",
  // Reverse proxies (nginx) would otherwise buffer the stream and defeat its purpose.
  "x-accel-buffering": "no",
  "x-content-type-options": "nosniff",
};

/**
 * The request handler of the users web gateway, for `node:http`'s `createServer`:
 * - `GET /` — a page that renders the stream live;
 * - `GET /users/?name=alexa&name=christie` — calls `GetUsers` and writes each response as one line
 *   of canonical proto3 JSON (`@bufbuild/protobuf`'s `toJson`) as soon as it arrives.
 *
 * A failed RPC becomes an HTTP status (`httpStatusFromGrpc`) with a JSON body `{code, message}`
 * (`google.rpc.Status`'s JSON form) when nothing was sent yet; once the stream has started, the
 * status line is gone, so the error arrives as a last line `{"error": {code, message}}`. When the
 * HTTP client goes away, the RPC is cancelled and the service's handler sees it.
 *
 * @example
 * const stub = new UsersStub(insecureChannel("127.0.0.1:50051"));
 * createServer(usersGatewayHandler(stub)).listen(8080);
 */
export function usersGatewayHandler(
  stub: UsersStub,
  options: UsersGatewayOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  const timeout = options.timeout ?? 10;
  return (request, response) => {
    const url = new URL(request.url ?? "/", "http://gateway.invalid");
    if (request.method !== "GET") {
      response.setHeader("allow", "GET");
      sendError(response, 405, StatusCode.UNIMPLEMENTED, `${request.method} is not supported`);
    } else if (url.pathname === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      response.end(usersPageHtml);
    } else if (url.pathname === "/users/" || url.pathname === "/users") {
      void streamUsers(stub, url.searchParams.getAll("name"), timeout, response);
    } else {
      sendError(response, 404, StatusCode.NOT_FOUND, `no route for ${url.pathname}`);
    }
  };
}

/** Starts the gateway for `stub` on `host:port` (port 0 picks a free one). */
export async function startWebGateway(stub: UsersStub, host: string, port: number, options: UsersGatewayOptions = {}): Promise<WebGateway> {
  const server = createServer(usersGatewayHandler(stub, options));
  server.listen(port, host);
  await once(server, "listening");
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive connections would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}

async function streamUsers(stub: UsersStub, names: string[], timeout: number, response: ServerResponse): Promise<void> {
  if (names.length === 0) {
    sendError(response, 400, StatusCode.INVALID_ARGUMENT, "give at least one user: /users/?name=alexa&name=christie");
    return;
  }
  const abort = new AbortController();
  // 'close' before the response finished means the HTTP client went away: cancel the RPC.
  const onClose = () => {
    if (!response.writableFinished) abort.abort();
  };
  response.on("close", onClose);
  try {
    const users = names.map((username, i) => ({ username, userId: i + 1 }));
    for await (const message of stub.GetUsers({ user: users }, { timeout, signal: abort.signal })) {
      if (!response.headersSent) response.writeHead(200, ndjsonHeaders);
      // Each write goes out as its own chunk at once; wait only when the client reads slowly.
      if (!response.write(`${JSON.stringify(toJson(GetUsersResultSchema, message))}\n`)) {
        await once(response, "drain", { signal: abort.signal });
      }
    }
    if (!response.headersSent) response.writeHead(200, ndjsonHeaders);
    response.end();
  } catch (reason) {
    if (abort.signal.aborted) return; // the client is gone; there is no one to answer
    const error = RpcError.from(reason);
    if (!response.headersSent) {
      sendError(response, httpStatusFromGrpc(error.code()), error.code(), error.details());
    } else {
      response.end(`${JSON.stringify({ error: { code: error.code(), message: error.details() } })}\n`);
    }
  } finally {
    response.off("close", onClose);
  }
}

function sendError(response: ServerResponse, httpStatus: number, code: StatusCode, message: string): void {
  response.writeHead(httpStatus, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify({ code, message }));
}
