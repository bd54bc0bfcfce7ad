import {
  checkLeaksAfterAll,
  insecureChannelUnderTest,
  jsonMethod,
  makeTestCertificates,
  secureChannelUnderTest,
  serverUnderTest,
  type TestCertificates,
  testClientTransport,
} from "@tsgrpc/test-utils";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import type { Server } from "../server/server.js";
import { servicerMethodHandlers } from "../server/servicer.js";
import {
  accessTokenCallCredentials,
  compositeCallCredentials,
  compositeChannelCredentials,
  metadataCallCredentials,
  sslChannelCredentials,
} from "../transport/client-credentials.js";
import { sslServerCredentials } from "../transport/server-credentials.js";
import type { Channel } from "./channel.js";

interface Seen {
  authorization: string[];
  apiKey: string | undefined;
  identities: string[] | null;
  identityKey: string | null;
  security: string;
}

const methods = {
  Who: jsonMethod<Record<string, never>, Seen>("/test.Tls/Who"),
  Stream: jsonMethod<Record<string, never>, Seen>("/test.Tls/Stream", { responseStream: true }),
};

const decoder = new TextDecoder();
const text = (bytes: Uint8Array) => decoder.decode(bytes);

function whoAmI(context: ServicerContext): Seen {
  const md = context.invocationMetadata();
  return {
    authorization: md.getAll("authorization").map(String),
    apiKey: md.get("x-api-key") as string | undefined,
    identities: context.peerIdentities()?.map(text) ?? null,
    identityKey: context.peerIdentityKey(),
    security: text(context.authContext().transport_security_type?.[0] ?? new Uint8Array()),
  };
}

checkLeaksAfterAll();

describe("TLS and mutual TLS with certificates made at test time", () => {
  let certs: TestCertificates;
  let tlsServer: Server;
  let mtlsServer: Server;
  let tlsPort: number;
  let mtlsPort: number;
  const channels: Channel[] = [];
  const open = (channel: Channel) => {
    channels.push(channel);
    return channel;
  };
  const who = (channel: Channel) => channel.unaryUnary(methods.Who);

  beforeAll(async () => {
    certs = makeTestCertificates();
    const servicer = {
      Who: (_r: unknown, context: ServicerContext) => whoAmI(context),
      *Stream(_r: unknown, context: ServicerContext) {
        yield whoAmI(context);
      },
    };
    tlsServer = serverUnderTest();
    tlsServer.addRegisteredMethodHandlers("test.Tls", servicerMethodHandlers(servicer, methods));
    tlsPort = await tlsServer.addSecurePort("127.0.0.1:0", sslServerCredentials([certs.server]));
    await tlsServer.start();
    mtlsServer = serverUnderTest();
    mtlsServer.addRegisteredMethodHandlers("test.Tls", servicerMethodHandlers(servicer, methods));
    mtlsPort = await mtlsServer.addSecurePort(
      "127.0.0.1:0",
      sslServerCredentials([certs.server], { rootCertificates: certs.ca, requireClientAuth: true }),
    );
    await mtlsServer.start();
  });

  afterAll(async () => {
    for (const channel of channels) channel.close();
    await Promise.all([tlsServer.stop(null), mtlsServer.stop(null)]);
  });

  it("connects over TLS to a server whose certificate the given CA signed", async () => {
    const channel = open(secureChannelUnderTest(`localhost:${tlsPort}`, sslChannelCredentials({ rootCertificates: certs.ca })));
    const seen = await who(channel)({});
    expect(seen.identities).toBeNull();
    const plain = open(insecureChannelUnderTest(`127.0.0.1:${tlsPort}`));
    const error = (await who(plain)({}, { timeout: 5 }).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.UNAVAILABLE);
  });

  it("refuses a server certificate that the trusted CA did not sign (UNAVAILABLE)", async () => {
    const channel = open(secureChannelUnderTest(`localhost:${tlsPort}`, sslChannelCredentials({ rootCertificates: certs.otherCa })));
    const error = (await who(channel)({}, { timeout: 5 }).catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code()).toBe(StatusCode.UNAVAILABLE);
  });

  it("checks the host name, which sslTargetNameOverride (or its grpc-js argument) replaces", async () => {
    const wrongName = open(
      secureChannelUnderTest(`127.0.0.1:${tlsPort}`, sslChannelCredentials({ rootCertificates: certs.ca }), {
        sslTargetNameOverride: "elsewhere.test",
      }),
    );
    const error = (await who(wrongName)({}, { timeout: 5 }).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.UNAVAILABLE);
    const rightName = open(
      secureChannelUnderTest(`127.0.0.1:${tlsPort}`, sslChannelCredentials({ rootCertificates: certs.ca }), {
        ...(testClientTransport === "grpc-js"
          ? { options: { "grpc.ssl_target_name_override": "localhost" } }
          : { sslTargetNameOverride: "localhost" }),
      }),
    );
    await expect(who(rightName)({})).resolves.toMatchObject({ identities: null });
    const typedRightName = open(
      secureChannelUnderTest(`127.0.0.1:${tlsPort}`, sslChannelCredentials({ rootCertificates: certs.ca }), {
        sslTargetNameOverride: "localhost",
      }),
    );
    await expect(who(typedRightName)({})).resolves.toMatchObject({ identities: null });
  });

  it("does mutual TLS: the server sees the client certificate's name", async () => {
    const channel = open(
      secureChannelUnderTest(`localhost:${mtlsPort}`, sslChannelCredentials({ rootCertificates: certs.ca, ...certs.client })),
    );
    const seen = await who(channel)({});
    expect(seen.security).toBe("ssl");
    expect(seen.identityKey).toBe("x509_common_name");
    expect(seen.identities).toEqual(["test-client"]);
    const stream = channel.unaryStream(methods.Stream)({});
    for await (const message of stream) expect(message.identities).toEqual(["test-client"]);
  });

  it("refuses a client without a certificate when the server requires one", async () => {
    const channel = open(secureChannelUnderTest(`localhost:${mtlsPort}`, sslChannelCredentials({ rootCertificates: certs.ca })));
    const error = (await who(channel)({}, { timeout: 5 }).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.UNAVAILABLE);
  });

  it("sends an access token per call, or on every call when composed into the channel credentials", async () => {
    const tls = sslChannelCredentials({ rootCertificates: certs.ca });
    const channel = open(secureChannelUnderTest(`localhost:${tlsPort}`, tls));
    await expect(who(channel)({}, { credentials: accessTokenCallCredentials("t0k3n") })).resolves.toMatchObject({
      authorization: ["Bearer t0k3n"],
    });
    const composed = open(
      secureChannelUnderTest(`localhost:${tlsPort}`, compositeChannelCredentials(tls, accessTokenCallCredentials("all"))),
    );
    await expect(who(composed)({})).resolves.toMatchObject({ authorization: ["Bearer all"] });
    for await (const message of composed.unaryStream(methods.Stream)({})) {
      expect(message.authorization).toEqual(["Bearer all"]);
    }
  });

  it("runs a metadata plugin per call with the service URL and method name; composes call credentials", async () => {
    const contexts: string[] = [];
    const plugin = metadataCallCredentials(async ({ serviceUrl, methodName }) => {
      contexts.push(`${serviceUrl} ${methodName}`);
      return { "x-api-key": "k-1" };
    });
    const channel = open(secureChannelUnderTest(`localhost:${tlsPort}`, sslChannelCredentials({ rootCertificates: certs.ca })));
    const both = compositeCallCredentials(plugin, accessTokenCallCredentials("abc"));
    await expect(who(channel)({}, { credentials: both })).resolves.toMatchObject({
      apiKey: "k-1",
      authorization: ["Bearer abc"],
    });
    // grpcio (C-core) leaves out only the port 443; grpc-js leaves out any port.
    expect(contexts).toEqual([
      testClientTransport === "grpc-js" ? "https://localhost/test.Tls Who" : `https://localhost:${tlsPort}/test.Tls Who`,
    ]);
  });

  it("fails the call with UNAVAILABLE naming the error when a metadata plugin throws", async () => {
    const failing = metadataCallCredentials(async () => {
      throw new Error("token service down");
    }, "tokens");
    const channel = open(secureChannelUnderTest(`localhost:${tlsPort}`, sslChannelCredentials({ rootCertificates: certs.ca })));
    const error = (await who(channel)({}, { credentials: failing }).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.UNAVAILABLE);
    expect(error.details()).toMatch(/tokens: token service down/);
    const denied = metadataCallCredentials(async () => {
      throw new RpcError(StatusCode.UNAUTHENTICATED, "no session");
    });
    const error2 = (await who(channel)({}, { credentials: denied }).catch((e: unknown) => e)) as RpcError;
    expect(error2.code()).toBe(StatusCode.UNAUTHENTICATED);
  });

  it("refuses call credentials on an insecure channel before sending anything", () => {
    const channel = open(insecureChannelUnderTest(`127.0.0.1:${tlsPort}`));
    expect(() => who(channel)({}, { credentials: accessTokenCallCredentials("x") })).toThrow(/secure channel/);
  });

  it("validates credentials arguments like grpcio", () => {
    expect(() => sslServerCredentials([])).toThrow(/at least one/);
    expect(() => sslServerCredentials([certs.server], { requireClientAuth: true })).toThrow(/rootCertificates/);
    expect(() => sslChannelCredentials({ privateKey: certs.client.privateKey })).toThrow(/together/);
    expect(() => compositeCallCredentials(accessTokenCallCredentials("a"))).toThrow(/at least two/);
    expect(() => secureChannelUnderTest("localhost:1", {} as never)).toThrow(TypeError);
  });
});
