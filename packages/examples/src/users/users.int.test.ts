import { type Channel, RpcError, type Server, type ServicerContext, StatusCode } from "@tsgrpc/runtime";
import { checkLeaksAfterAll, deferred, insecureChannelUnderTest, serverUnderTest, testClientTransport } from "@tsgrpc/test-utils";
import { addUsersServicerToServer, UsersServicer, UsersStub } from "../gen/users/users_grpc.js";
import type { CreateUserRequest, GetUsersRequest } from "../gen/users/users_types_pb.js";
import { runUsersClient } from "./client.js";
import { startUsersServer } from "./server.js";

checkLeaksAfterAll();

/** A server for `servicer` on 127.0.0.1:0 and a stub to it. */
async function serve(servicer: Partial<UsersServicer>): Promise<{ stub: UsersStub; close: () => Promise<void> }> {
  const srv: Server = serverUnderTest({ logger: null });
  addUsersServicerToServer(servicer, srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  const channel: Channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
  return {
    stub: new UsersStub(channel),
    close: async () => {
      channel.close();
      await srv.stop(null);
    },
  };
}

describe("the users tutorial, end to end", () => {
  const log: string[] = [];
  let srv: Server;
  let channel: Channel;
  let stub: UsersStub;

  beforeAll(async () => {
    const started = await startUsersServer("127.0.0.1:0", (line) => log.push(line));
    srv = started.server;
    channel = insecureChannelUnderTest(`127.0.0.1:${started.port}`);
    stub = new UsersStub(channel);
  });
  afterAll(async () => {
    channel.close();
    await srv.stop(null);
  });

  it("CreateUser carries metadata both ways", async () => {
    const [result, call] = await stub.CreateUser.withCall({ username: "tom" }, { metadata: [["ip", "127.0.0.1"]], timeout: 5 });
    expect(result.user?.username).toBe("tom");
    expect(result.user?.userId).toBeGreaterThan(0);
    expect(await call.code()).toBe(StatusCode.OK);
    expect((await call.trailingMetadata()).get("user-count")).toBe(String(result.user?.userId));
    const line = log.find((l) => l.startsWith("CreateUser(tom)"));
    // grpc-js adds its own name after tsgrpc's; the node-http2 client sends tsgrpc's alone.
    expect(line).toMatch(
      testClientTransport === "grpc-js"
        ? /ip=127\.0\.0\.1 user-agent=tsgrpc-node\/\S+ grpc-node-js\//
        : /ip=127\.0\.0\.1 user-agent=tsgrpc-node\/\S+$/,
    );
  });

  it("GetUsers streams both users back, in order", async () => {
    const users = [
      { username: "alexa", userId: 1 },
      { username: "christie", userId: 2 },
    ];
    const names: string[] = [];
    const stream = stub.GetUsers({ user: users });
    for await (const response of stream) names.push(response.user?.username ?? "");
    expect(names).toEqual(["alexa", "christie"]);
    expect(await stream.code()).toBe(StatusCode.OK);
  });

  it("an invalid request gets INVALID_ARGUMENT from context.abort", async () => {
    const error = (await stub.CreateUser({ username: "" }).catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code()).toBe(StatusCode.INVALID_ARGUMENT);
    expect(error.details()).toBe("username is required");
  });

  it("a short timeout against a slow call fails with DEADLINE_EXCEEDED in time", async () => {
    const started = Date.now();
    const error = (await stub.CreateUser({ username: "slowpoke" }, { timeout: 0.3 }).catch((e: unknown) => e)) as RpcError;
    const elapsedMs = Date.now() - started;
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(error.details()).toBe("Deadline Exceeded");
    expect(error.message).toBe("/users.Users/CreateUser DEADLINE_EXCEEDED: Deadline Exceeded");
    expect(elapsedMs).toBeLessThan(300 + 500);
  });

  it("runs the demo's client script", async () => {
    const lines: string[] = [];
    await runUsersClient(channel, (line) => lines.push(line));
    expect(lines).toEqual([
      expect.stringMatching(/^created tom with id \d+$/),
      expect.stringMatching(/^status OK, user-count=\d+$/),
      "got user alexa (id 1)",
      "got user christie (id 2)",
      "slow call failed as expected: /users.Users/CreateUser DEADLINE_EXCEEDED: Deadline Exceeded",
    ]);
  });
});

describe("the users servicer's failure paths", () => {
  it("answers UNIMPLEMENTED for methods a servicer does not override", async () => {
    class OnlyCreate extends UsersServicer {
      override CreateUser(request: CreateUserRequest) {
        return { user: { username: request.username, userId: 7 } };
      }
    }
    const { stub, close } = await serve(new OnlyCreate());
    try {
      expect((await stub.CreateUser({ username: "a" })).user?.userId).toBe(7);
      const error = await (async () => {
        for await (const _ of stub.GetUsers({})) {
          // no response expected
        }
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcError);
      expect((error as RpcError).code()).toBe(StatusCode.UNIMPLEMENTED);
      expect((error as RpcError).details()).toBe("Method not implemented!");
    } finally {
      await close();
    }
  });

  it("serves a plain object with some methods", async () => {
    const { stub, close } = await serve({ CreateUser: (request: CreateUserRequest) => ({ user: { username: request.username } }) });
    try {
      expect((await stub.CreateUser({ username: "plain" })).user?.username).toBe("plain");
      const error = (await (async () => {
        for await (const _ of stub.GetUsers({})) {
          // none
        }
      })().catch((e: unknown) => e)) as RpcError;
      expect(error.code()).toBe(StatusCode.UNIMPLEMENTED);
    } finally {
      await close();
    }
  });

  it("turns a thrown error into UNKNOWN with its message, and keeps serving", async () => {
    const { stub, close } = await serve({
      CreateUser: () => {
        throw new Error("users table is locked");
      },
    });
    try {
      const error = (await stub.CreateUser({ username: "x" }).catch((e: unknown) => e)) as RpcError;
      expect(error.code()).toBe(StatusCode.UNKNOWN);
      expect(error.details()).toBe("Exception calling application: users table is locked");
      expect(error.details()).not.toMatch(/ at /);
      const again = (await stub.CreateUser({ username: "y" }).catch((e: unknown) => e)) as RpcError;
      expect(again.code()).toBe(StatusCode.UNKNOWN);
    } finally {
      await close();
    }
  });

  it("break out of GetUsers cancels the stream, and the server sees it", async () => {
    const finallyRan = deferred<boolean>();
    class Endless extends UsersServicer {
      override async *GetUsers(_request: GetUsersRequest, context: ServicerContext) {
        try {
          for (let i = 0; ; i++) yield { user: { username: `user${i}`, userId: i } };
        } finally {
          finallyRan.resolve(context.isActive());
        }
      }
    }
    const { stub, close } = await serve(new Endless());
    try {
      const stream = stub.GetUsers({});
      let received = 0;
      for await (const _ of stream) {
        if (++received === 3) break;
      }
      expect(received).toBe(3);
      expect(await stream.code()).toBe(StatusCode.CANCELLED);
      await expect(finallyRan.promise).resolves.toBe(false);
    } finally {
      await close();
    }
  });
});
