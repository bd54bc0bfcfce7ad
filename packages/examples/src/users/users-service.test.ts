// Unit tests of the users servicer with @tsgrpc/runtime/testing: no ports, a real ServicerContext.
import { StatusCode } from "@tsgrpc/runtime";
import { type TestingServer, testingServer } from "@tsgrpc/runtime/testing";
import { addUsersServicerToServer } from "../gen/users/users_grpc.js";
import { Users } from "../gen/users/users_pb.js";
import { UsersService } from "./users-service.js";

describe("UsersService", () => {
  let t: TestingServer;
  let log: string[];
  beforeEach(async () => {
    log = [];
    t = await testingServer((s) => addUsersServicerToServer(new UsersService((line) => log.push(line)), s));
  });
  afterEach(() => t.close());

  it("CreateUser assigns increasing ids, logs the caller's ip and reports the count in the trailers", async () => {
    const first = await t.invokeUnaryUnary(Users.method.createUser, { username: "tom" }, { metadata: { ip: "10.0.0.7" } }).termination();
    expect(first.code).toBe(StatusCode.OK);
    expect(first.response?.user).toMatchObject({ username: "tom", userId: 1 });
    expect(first.trailingMetadata.get("user-count")).toBe("1");
    const second = await t.invokeUnaryUnary(Users.method.createUser, { username: "ann" }).termination();
    expect(second.response?.user?.userId).toBe(2);
    expect(log[0]).toMatch(/^CreateUser\(tom\) ip=10\.0\.0\.7 /);
  });

  it("CreateUser without a username is INVALID_ARGUMENT", async () => {
    const { code, details, response } = await t.invokeUnaryUnary(Users.method.createUser, {}).termination();
    expect([code, details, response]).toEqual([StatusCode.INVALID_ARGUMENT, "username is required", null]);
  });

  it("CreateUser of a slow user gives up at the caller's deadline", async () => {
    const started = Date.now();
    const { code } = await t.invokeUnaryUnary(Users.method.createUser, { username: "slow-sam" }, { timeout: 0.1 }).termination();
    expect(code).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(100 + 500);
  });

  it("GetUsers streams back each user it is sent", async () => {
    const users = [
      { username: "a", userId: 1 },
      { username: "b", userId: 2 },
    ];
    const rpc = t.invokeUnaryStream(Users.method.getUsers, { user: users });
    const received = [];
    for await (const result of rpc.responses()) received.push(result.user);
    expect(received).toMatchObject(users);
    expect((await rpc.termination()).code).toBe(StatusCode.OK);
  });
});
