import { type Channel, channelReadyFuture, RpcError, StatusCode } from "@tsgrpc/runtime";
import { UsersStub } from "../gen/users/users_grpc.js";

/**
 * The users tutorial's client: creates a user with metadata, streams two users back, and shows a
 * deadline expiring against a slow call.
 */
export async function runUsersClient(channel: Channel, log: (line: string) => void = console.log): Promise<void> {
  await channelReadyFuture(channel).result({ timeout: 5 });
  const stub = new UsersStub(channel);

  const [created, call] = await stub.CreateUser.withCall({ username: "tom" }, { metadata: [["ip", "127.0.0.1"]], timeout: 5 });
  log(`created ${created.user?.username} with id ${created.user?.userId}`);
  log(`status ${StatusCode[await call.code()]}, user-count=${(await call.trailingMetadata()).get("user-count")}`);

  const users = [
    { username: "alexa", userId: 1 },
    { username: "christie", userId: 2 },
  ];
  for await (const response of stub.GetUsers({ user: users }, { timeout: 5 })) {
    log(`got user ${response.user?.username} (id ${response.user?.userId})`);
  }

  try {
    await stub.CreateUser({ username: "slowpoke" }, { timeout: 0.5 });
    throw new Error("expected the slow call to time out");
  } catch (error) {
    if (!(error instanceof RpcError) || error.code() !== StatusCode.DEADLINE_EXCEEDED) throw error;
    log(`slow call failed as expected: ${error.message}`);
  }
}
