// What is the memory transport's own (the conformance suite has what every transport shares): no
// connection to speak of, its client's receive limit, the channel closing with the testing server,
// and what docs/testing.md says it leaves out (call credentials, a real peer).
import { jsonMethod, jsonSerializers, rpcStatus } from "@tsgrpc/test-utils";
import { ChannelConnectivity } from "../core/connectivity.js";
import { StatusCode } from "../core/status-code.js";
import { unaryUnaryRpcMethodHandler } from "../server/method-handlers.js";
import { testingServer } from "../testing/testing-server.js";
import { accessTokenCallCredentials } from "../transport/client-credentials.js";

interface Msg {
  size?: number;
  pad?: string;
}
const echo = jsonMethod<Msg, Msg>("/memory.Test/Echo");
const peer = jsonMethod<Msg, Msg>("/memory.Test/Peer");

async function echoServer() {
  return testingServer((s) =>
    s.addRegisteredMethodHandlers("memory.Test", {
      Echo: unaryUnaryRpcMethodHandler((request: Msg) => ({ pad: "x".repeat(request.size ?? 0) }), jsonSerializers<Msg, Msg>()),
      Peer: unaryUnaryRpcMethodHandler((_request: Msg, context) => {
        const security = context.authContext().transport_security_type?.map((value) => Buffer.from(value).toString());
        return { pad: `${context.peer()} ${security?.join(",")} ${context.peerIdentityKey()}` };
      }, jsonSerializers<Msg, Msg>()),
    }),
  );
}

describe("the memory transport", () => {
  it("is READY at once, and SHUTDOWN once the testing server closes; later calls throw", async () => {
    const t = await echoServer();
    expect(t.channel.connectivity()).toBe(ChannelConnectivity.READY);
    await t.close();
    expect(t.channel.connectivity()).toBe(ChannelConnectivity.SHUTDOWN);
    expect(() => t.channel.unaryUnary(echo)({})).toThrow();
  });

  it("a response over the client's 4 MiB receive limit: RESOURCE_EXHAUSTED, as a grpc client's", async () => {
    await using t = await echoServer();
    const [code, details] = await rpcStatus(t.channel.unaryUnary(echo)({ size: 4 * 1024 * 1024 }));
    expect(code).toBe(StatusCode.RESOURCE_EXHAUSTED);
    expect(details).toMatch(/^Received message larger than max \(\d+ vs\. 4194304\)$/);
    expect((await t.channel.unaryUnary(echo)({ size: 10 })).pad).toHaveLength(10);
  });

  it("refuses call credentials as an insecure channel does; handlers see peer ipv4:127.0.0.1:0 on an insecure connection", async () => {
    await using t = await echoServer();
    expect(() => t.channel.unaryUnary(echo)({}, { credentials: accessTokenCallCredentials("token") })).toThrow(
      "/memory.Test/Echo: call credentials need a secure channel (secureChannel), not an insecure one",
    );
    expect((await t.channel.unaryUnary(peer)({})).pad).toBe("ipv4:127.0.0.1:0 insecure null");
  });
});
