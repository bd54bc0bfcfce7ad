import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { type Channel, RpcError, type Server, StatusCode } from "@tsgrpc/runtime";
import { checkLeaksAfterAll, insecureChannelUnderTest, serverUnderTest } from "@tsgrpc/test-utils";
import { addUsersServicerToServer, UsersStub } from "../gen/users/users_grpc.js";
import { badRequestOf } from "./bad-request.js";
import { ValidatingUsersService } from "./validating-users-service.js";
import { maxUsernameLength, usernameViolations } from "./validation.js";

checkLeaksAfterAll();

describe("usernameViolations", () => {
  it.each([
    ["tom", []],
    ["", ["REQUIRED"]],
    ["Tom", ["INVALID_CHARACTERS"]],
    ["a".repeat(maxUsernameLength), []],
    [`${"a".repeat(maxUsernameLength)} `, ["TOO_LONG", "INVALID_CHARACTERS"]],
  ])("%j → %j", (username, reasons) => {
    expect(usernameViolations(username, "username").map((v) => v.reason)).toEqual(reasons);
  });
});

describe("a validating users service, over the wire", () => {
  let srv: Server;
  let channel: Channel;
  let stub: UsersStub;
  beforeAll(async () => {
    srv = serverUnderTest();
    addUsersServicerToServer(new ValidatingUsersService(() => {}), srv);
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
    stub = new UsersStub(channel);
  });
  afterAll(async () => {
    channel.close();
    await srv.stop(null);
  });

  it("creates a valid user", async () => {
    expect((await stub.CreateUser({ username: "tom" })).user?.username).toBe("tom");
  });

  it("rejects a bad username with INVALID_ARGUMENT and a google.rpc.BadRequest the client reads", async () => {
    const error = await stub.CreateUser({ username: "Tom Jones" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect([(error as RpcError).code(), (error as RpcError).details()]).toEqual([StatusCode.INVALID_ARGUMENT, "invalid user"]);
    const status = (error as RpcError).statusDetails();
    expect(status).toMatchObject({ code: StatusCode.INVALID_ARGUMENT, message: "invalid user" });
    expect(status?.details.map((d) => d.typeUrl)).toEqual(["type.googleapis.com/google.rpc.BadRequest"]);
    expect(badRequestOf(error)?.fieldViolations).toEqual([expect.objectContaining({ field: "username", reason: "INVALID_CHARACTERS" })]);
  });

  it("names every bad field of a streaming request before sending anything", async () => {
    const received: string[] = [];
    const error = await (async () => {
      for await (const result of stub.GetUsers({ user: [{ username: "ok" }, { username: "" }, { username: "B@d" }] })) {
        received.push(result.user?.username ?? "");
      }
    })().catch((e: unknown) => e);
    expect(received).toEqual([]);
    expect((error as RpcError).code()).toBe(StatusCode.INVALID_ARGUMENT);
    expect(badRequestOf(error)?.fieldViolations.map((v) => [v.field, v.reason])).toEqual([
      ["user[1].username", "REQUIRED"],
      ["user[2].username", "INVALID_CHARACTERS"],
    ]);
  });

  it("sends what googleapis' own google.rpc.Status and BadRequest decode (protoc --decode)", async () => {
    const error = (await stub.CreateUser({ username: "" }).catch((e: unknown) => e)) as RpcError;
    const bytes = error.trailingMetadata().get("grpc-status-details-bin") as Uint8Array;
    const googleapis = dirname(require.resolve("google-proto-files/package.json"));
    const decode = (type: string, file: string, input: Uint8Array) =>
      execFileSync("protoc", [`-I${googleapis}`, `--decode=${type}`, file], { input }).toString();
    expect(decode("google.rpc.Status", "google/rpc/status.proto", bytes)).toMatch(
      /^code: 3\nmessage: "invalid user"\ndetails \{\n {2}type_url: "type.googleapis.com\/google.rpc.BadRequest"\n/,
    );
    const value = error.statusDetails()?.details[0]?.value ?? new Uint8Array();
    expect(decode("google.rpc.BadRequest", "google/rpc/error_details.proto", value)).toBe(
      'field_violations {\n  field: "username"\n  description: "a username is required"\n  reason: "REQUIRED"\n}\n',
    );
  });

  it("finds no BadRequest in errors that carry none", async () => {
    expect(badRequestOf(new RpcError(StatusCode.INVALID_ARGUMENT, "plain"))).toBeNull();
    expect(badRequestOf(new Error("not an rpc error"))).toBeNull();
    const deadline = await stub.CreateUser({ username: "slowpoke" }, { timeout: 0.05 }).catch((e: unknown) => e);
    expect((deadline as RpcError).code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(badRequestOf(deadline)).toBeNull();
  });
});
