import { once } from "node:events";
import { request } from "node:http";
import { type Channel, type Server, type ServicerContext, StatusCode } from "@tsgrpc/runtime";
import { checkLeaksAfterAll, deferred, insecureChannelUnderTest, serverUnderTest, untilAborted } from "@tsgrpc/test-utils";
import { addUsersServicerToServer, type UsersServicer, UsersStub } from "../gen/users/users_grpc.js";
import type { GetUsersRequest } from "../gen/users/users_types_pb.js";
import { UsersService } from "../users/users-service.js";
import { startWebGateway, type UsersGatewayOptions, type WebGateway } from "./gateway.js";
import { getNdjson } from "./ndjson-client.js";

checkLeaksAfterAll();

interface Stack {
  base: string;
  close(): Promise<void>;
}

/** A users gRPC server for `servicer`, and the gateway in front of it, both on 127.0.0.1:0. */
async function serve(servicer: Partial<UsersServicer>, options: UsersGatewayOptions = {}): Promise<Stack> {
  const srv: Server = serverUnderTest({ logger: null });
  addUsersServicerToServer(servicer, srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  const channel: Channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
  const gateway: WebGateway = await startWebGateway(new UsersStub(channel), "127.0.0.1", 0, options);
  return {
    base: `http://127.0.0.1:${gateway.port}`,
    close: async () => {
      await gateway.close();
      channel.close();
      await srv.stop(null);
    },
  };
}

describe("the users web gateway", () => {
  it("streams each user as a line of proto3 JSON as soon as the service sends it", async () => {
    const release = deferred();
    let secondSent = false;
    const stack = await serve({
      async *GetUsers(request: GetUsersRequest, context: ServicerContext) {
        yield { user: request.user[0] };
        await Promise.race([release.promise, untilAborted(context.signal)]);
        secondSent = true;
        yield { user: request.user[1] };
      },
    });
    try {
      const { response, lines, rest } = await getNdjson(`${stack.base}/users/?name=alexa&name=christie`);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
      const first = await lines.next();
      expect(first.value).toBe('{"user":{"username":"alexa","userId":1}}');
      expect(secondSent).toBe(false);
      release.resolve();
      expect(await rest()).toEqual(['{"user":{"username":"christie","userId":2}}']);
      expect(secondSent).toBe(true);
    } finally {
      await stack.close();
    }
  });

  it("serves the tutorial's service end to end, with canonical JSON (default values omitted)", async () => {
    const stack = await serve(new UsersService(() => {}));
    try {
      const { response, rest } = await getNdjson(`${stack.base}/users?name=alexa&name=christie&name=`);
      expect(response.statusCode).toBe(200);
      expect((await rest()).map((line) => JSON.parse(line))).toEqual([
        { user: { username: "alexa", userId: 1 } },
        { user: { username: "christie", userId: 2 } },
        { user: { userId: 3 } },
      ]);
    } finally {
      await stack.close();
    }
  });

  const mapped: [StatusCode, number][] = [
    [StatusCode.INVALID_ARGUMENT, 400],
    [StatusCode.UNAUTHENTICATED, 401],
    [StatusCode.PERMISSION_DENIED, 403],
    [StatusCode.NOT_FOUND, 404],
    [StatusCode.UNIMPLEMENTED, 501],
    [StatusCode.UNAVAILABLE, 503],
    [StatusCode.DEADLINE_EXCEEDED, 504],
    [StatusCode.INTERNAL, 500],
    [StatusCode.DATA_LOSS, 500],
  ];
  it("maps the service's status codes to HTTP statuses with a JSON {code, message} body", async () => {
    const stack = await serve({
      async *GetUsers(request: GetUsersRequest, context: ServicerContext) {
        context.abort(Number(request.user[0]?.username) as StatusCode, `failed with ${request.user[0]?.username}`);
      },
    });
    try {
      for (const [code, httpStatus] of mapped) {
        const { response, rest } = await getNdjson(`${stack.base}/users/?name=${code}`);
        expect([code, response.statusCode, response.headers["content-type"]]).toEqual([
          code,
          httpStatus,
          "application/json; charset=utf-8",
        ]);
        expect(JSON.parse((await rest()).join("\n"))).toEqual({ code, message: `failed with ${code}` });
      }
    } finally {
      await stack.close();
    }
  });

  it("answers 504 when the service outlives the gateway's timeout, and 503 when it is down", async () => {
    const handlerEnded = deferred();
    const slow = await serve(
      {
        async *GetUsers(_request: GetUsersRequest, context: ServicerContext) {
          try {
            await untilAborted(context.signal);
            yield {};
          } finally {
            handlerEnded.resolve();
          }
        },
      },
      { timeout: 0.2 },
    );
    try {
      const started = Date.now();
      const { response, rest } = await getNdjson(`${slow.base}/users/?name=sam`);
      expect(response.statusCode).toBe(504);
      expect(JSON.parse((await rest()).join(""))).toEqual({ code: StatusCode.DEADLINE_EXCEEDED, message: "Deadline Exceeded" });
      expect(Date.now() - started).toBeLessThan(200 + 500);
      await handlerEnded.promise;
    } finally {
      await slow.close();
    }

    // A gateway whose service is gone: the port of a server that has stopped.
    const gone = serverUnderTest();
    const port = await gone.addInsecurePort("127.0.0.1:0");
    await gone.stop(null);
    const channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
    const gateway = await startWebGateway(new UsersStub(channel), "127.0.0.1", 0);
    try {
      const { response, rest } = await getNdjson(`http://127.0.0.1:${gateway.port}/users/?name=x`);
      expect(response.statusCode).toBe(503);
      expect(JSON.parse((await rest()).join(""))).toMatchObject({ code: StatusCode.UNAVAILABLE });
    } finally {
      await gateway.close();
      channel.close();
    }
  });

  it("ends a started stream with an error line when the RPC fails midway", async () => {
    const stack = await serve({
      async *GetUsers(request: GetUsersRequest, context: ServicerContext) {
        yield { user: request.user[0] };
        context.abort(StatusCode.RESOURCE_EXHAUSTED, "quota used up");
      },
    });
    try {
      const { response, rest } = await getNdjson(`${stack.base}/users/?name=alexa&name=christie`);
      expect(response.statusCode).toBe(200);
      expect(await rest()).toEqual([
        '{"user":{"username":"alexa","userId":1}}',
        `{"error":{"code":${StatusCode.RESOURCE_EXHAUSTED},"message":"quota used up"}}`,
      ]);
    } finally {
      await stack.close();
    }
  });

  it("rejects requests without names, other paths and other methods", async () => {
    const stack = await serve(new UsersService(() => {}));
    try {
      const noNames = await getNdjson(`${stack.base}/users/`);
      expect([noNames.response.statusCode, JSON.parse((await noNames.rest()).join("")).code]).toEqual([400, StatusCode.INVALID_ARGUMENT]);
      const elsewhere = await getNdjson(`${stack.base}/groups/`);
      expect([elsewhere.response.statusCode, JSON.parse((await elsewhere.rest()).join("")).code]).toEqual([404, StatusCode.NOT_FOUND]);
      const post = request(`${stack.base}/users/?name=a`, { method: "POST", agent: false });
      post.end();
      const [posted] = await once(post, "response");
      posted.resume();
      expect([posted.statusCode, posted.headers.allow]).toEqual([405, "GET"]);
      await once(posted, "end");
      const page = await getNdjson(`${stack.base}/`);
      expect(page.response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect((await page.rest()).join("\n")).toContain("getReader()");
    } finally {
      await stack.close();
    }
  });

  it("cancels the RPC when the HTTP client hangs up, and the service's handler sees it", async () => {
    const finallyRan = deferred<boolean>();
    const stack = await serve({
      async *GetUsers(request: GetUsersRequest, context: ServicerContext) {
        try {
          yield { user: request.user[0] };
          await untilAborted(context.signal);
        } finally {
          finallyRan.resolve(context.isActive());
        }
      },
    });
    try {
      const { request: req, lines } = await getNdjson(`${stack.base}/users/?name=alexa`);
      expect((await lines.next()).value).toBe('{"user":{"username":"alexa","userId":1}}');
      req.destroy();
      await expect(finallyRan.promise).resolves.toBe(false);
    } finally {
      await stack.close();
    }
  });
});
