// The users servicer tested only through its generated UsersStub, in memory: the channel of
// @tsgrpc/runtime/testing, no port, the same client and server code as over the network
// (docs/testing.md shows this file's pattern).
import { RpcError, type ServicerContext, StatusCode } from "@tsgrpc/runtime";
import { testingServer } from "@tsgrpc/runtime/testing";
import { addUsersServicerToServer, UsersStub } from "../gen/users/users_grpc.js";
import type { CreateUserRequest } from "../gen/users/users_types_pb.js";
import { UsersService } from "./users-service.js";

/** The users service, telling the test when a call's handler ended because the call was cancelled. */
class ObservedUsersService extends UsersService {
  readonly cancelled: string[] = [];
  #onCancelled: (() => void) | null = null;

  /** Resolves once a handler has seen its call cancelled. */
  nextCancelled(): Promise<void> {
    return new Promise((resolve) => (this.#onCancelled = resolve));
  }

  override async CreateUser(request: CreateUserRequest, context: ServicerContext) {
    try {
      return await super.CreateUser(request, context);
    } finally {
      if (context.signal.aborted) {
        this.cancelled.push(request.username);
        this.#onCancelled?.();
      }
    }
  }
}

async function rpcError(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(error)}`);
  return error;
}

describe("UsersService through UsersStub, in memory", () => {
  it("CreateUser: the request's metadata reaches the handler, its trailers come back", async () => {
    const log: string[] = [];
    await using t = await testingServer((s) => addUsersServicerToServer(new UsersService((line) => log.push(line)), s));
    const stub = new UsersStub(t.channel);
    const [response, call] = await stub.CreateUser.withCall({ username: "tom" }, { metadata: { ip: "10.0.0.7" } });
    expect(response.user).toMatchObject({ username: "tom", userId: 1 });
    expect((await call.trailingMetadata()).get("user-count")).toBe("1");
    expect(await call.code()).toBe(StatusCode.OK);
    expect(log[0]).toMatch(/^CreateUser\(tom\) ip=10\.0\.0\.7 /);
  });

  it("CreateUser without a username: the client gets INVALID_ARGUMENT with the handler's details", async () => {
    await using t = await testingServer((s) => addUsersServicerToServer(new UsersService(() => {}), s));
    const error = await rpcError(new UsersStub(t.channel).CreateUser({}));
    expect([error.code(), error.details()]).toEqual([StatusCode.INVALID_ARGUMENT, "username is required"]);
  });

  it("CreateUser past the client's timeout: DEADLINE_EXCEEDED on the client, and the handler is cancelled", async () => {
    const service = new ObservedUsersService(() => {});
    await using t = await testingServer((s) => addUsersServicerToServer(service, s));
    const handlerCancelled = service.nextCancelled();
    const started = Date.now();
    const error = await rpcError(new UsersStub(t.channel).CreateUser({ username: "slow-sam" }, { timeout: 0.1 }));
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(1000);
    await handlerCancelled;
    expect(service.cancelled).toEqual(["slow-sam"]);
  });

  it("CreateUser cancelled by the client: CANCELLED, and the cancellation reaches the handler", async () => {
    let handlerStarted = () => {};
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));
    const service = new ObservedUsersService(handlerStarted); // it logs a line as it starts
    await using t = await testingServer((s) => addUsersServicerToServer(service, s));
    const handlerCancelled = service.nextCancelled();
    const future = new UsersStub(t.channel).CreateUser.future({ username: "slow-sue" });
    await started;
    expect(future.cancel()).toBe(true);
    await handlerCancelled;
    expect(service.cancelled).toEqual(["slow-sue"]);
    expect(await future.code()).toBe(StatusCode.CANCELLED);
  });

  it("GetUsers streams each user back; leaving the loop early cancels the rest", async () => {
    await using t = await testingServer((s) => addUsersServicerToServer(new UsersService(() => {}), s));
    const stub = new UsersStub(t.channel);
    const users = Array.from({ length: 50 }, (_, i) => ({ username: `u${i}`, userId: i + 1 }));
    const all = [];
    for await (const { user } of stub.GetUsers({ user: users })) all.push(user);
    expect(all).toMatchObject(users);

    const stream = stub.GetUsers({ user: users });
    for await (const { user } of stream) if (user?.userId === 3) break;
    expect(await stream.code()).toBe(StatusCode.CANCELLED);
  });

  it("an unknown method: UNIMPLEMENTED, as over the network", async () => {
    await using t = await testingServer(() => {});
    const error = await rpcError(new UsersStub(t.channel).CreateUser({ username: "x" }));
    expect([error.code(), error.details()]).toEqual([StatusCode.UNIMPLEMENTED, "Method not found!"]);
  });
});
