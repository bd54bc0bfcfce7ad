// The server side of TLS: addSecurePort, and what ServicerContext tells a handler about its peer
// under TLS and mutual TLS (grpcio's auth_context() / peer_identities() / peer_identity_key()).
import {
  checkLeaksAfterAll,
  deferred,
  jsonMethod,
  jsonSerializers,
  makeTestCertificates,
  secureChannelUnderTest,
  serverUnderTest,
  type TestCertificates,
  testServerTransport,
} from "@tsgrpc/test-utils";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { sslChannelCredentials } from "../transport/client-credentials.js";
import { sslServerCredentials } from "../transport/server-credentials.js";
import { unaryUnaryRpcMethodHandler } from "./method-handlers.js";

type Msg = Record<string, never>;
const method = jsonMethod<Msg, Msg>("/test.Peer/Who");
const decoder = new TextDecoder();
const texts = (values: Uint8Array[] | null | undefined) => values?.map((v) => decoder.decode(v)) ?? null;

checkLeaksAfterAll();

describe.each([
  ["mutual TLS", true],
  ["TLS without a client certificate", false],
])("a server port with %s", (_name, mutual) => {
  let certs: TestCertificates;
  const seen = { context: deferred<ServicerContext>() };
  const srv = serverUnderTest({ logger: null });
  let port = 0;
  beforeAll(async () => {
    certs = makeTestCertificates();
    srv.addRegisteredMethodHandlers("test.Peer", {
      Who: unaryUnaryRpcMethodHandler(async (_r: Msg, context: ServicerContext) => {
        context.authContext();
        seen.context.resolve(context);
        return {};
      }, jsonSerializers<Msg, Msg>()),
    });
    const credentials = mutual
      ? sslServerCredentials([certs.server], { rootCertificates: certs.ca, requireClientAuth: true })
      : sslServerCredentials([certs.server]);
    port = await srv.addSecurePort("127.0.0.1:0", credentials);
    await srv.start();
  });
  afterAll(() => srv.stop(null));

  it("serves over TLS and tells the handler who the peer is, as grpcio does", async () => {
    const credentials = mutual
      ? sslChannelCredentials({ rootCertificates: certs.ca, ...certs.client })
      : sslChannelCredentials({ rootCertificates: certs.ca });
    const channel = secureChannelUnderTest(`localhost:${port}`, credentials);
    try {
      await channel.unaryUnary(method)({});
    } finally {
      channel.close();
    }
    const context = await seen.context.promise;
    if (mutual) {
      // A client without a certificate does not get through a port that requires one.
      const anonymous = secureChannelUnderTest(`localhost:${port}`, sslChannelCredentials({ rootCertificates: certs.ca }));
      try {
        const error = await anonymous
          .unaryUnary(method)({}, { timeout: 5 })
          .catch((e: unknown) => e);
        expect(error instanceof RpcError && error.code()).toBe(StatusCode.UNAVAILABLE);
      } finally {
        anonymous.close();
      }
    }
    const auth = context.authContext();
    expect(context.peer()).toMatch(/^ipv4:127\.0\.0\.1:\d+$/);
    if (mutual) {
      expect(texts(auth.transport_security_type)).toEqual(["ssl"]);
      expect(texts(auth.security_level)).toEqual(["TSI_PRIVACY_AND_INTEGRITY"]);
      expect(context.peerIdentityKey()).toBe("x509_common_name");
      expect(texts(context.peerIdentities())).toEqual(["test-client"]);
      expect(texts(auth.x509_common_name)).toEqual(["test-client"]);
      expect(texts(auth.x509_pem_cert)?.[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    } else {
      // grpc-js's public API describes a TLS connection only once the client is authorized by a
      // certificate, so there authContext() cannot say "ssl"; node-http2 says it, as grpcio does.
      // No identity either way.
      if (testServerTransport === "node-http2") {
        expect(texts(auth.transport_security_type)).toEqual(["ssl"]);
        expect(texts(auth.security_level)).toEqual(["TSI_PRIVACY_AND_INTEGRITY"]);
      }
      expect(context.peerIdentityKey()).toBeNull();
      expect(context.peerIdentities()).toBeNull();
      expect(auth.x509_common_name).toBeUndefined();
    }
  });
});

describe("reloadCredentials", () => {
  it("serves new connections with the new certificate; open connections keep theirs", async () => {
    const before = makeTestCertificates();
    const after = makeTestCertificates();
    const srv = serverUnderTest({ logger: null });
    srv.addRegisteredMethodHandlers("test.Peer", { Who: unaryUnaryRpcMethodHandler(async () => ({}), jsonSerializers<Msg, Msg>()) });
    const port = await srv.addSecurePort("127.0.0.1:0", sslServerCredentials([before.server]));
    await srv.start();
    const trusting = (certs: TestCertificates) =>
      secureChannelUnderTest(`localhost:${port}`, sslChannelCredentials({ rootCertificates: certs.ca }));
    const old = trusting(before);
    const channels = [old];
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => StatusCode.OK,
        (e: unknown) => (e instanceof RpcError ? e.code() : e),
      );
    try {
      expect(await code(old.unaryUnary(method)({}, { timeout: 5 }))).toBe(StatusCode.OK);
      srv.reloadCredentials(sslServerCredentials([after.server]));
      const renewed = trusting(after);
      const stale = trusting(before);
      channels.push(renewed, stale);
      expect(await code(renewed.unaryUnary(method)({}, { timeout: 5 }))).toBe(StatusCode.OK);
      // A new connection trusting only the old CA sees the new certificate and refuses it.
      expect(await code(stale.unaryUnary(method)({}, { timeout: 5 }))).toBe(StatusCode.UNAVAILABLE);
      // The connection made before the reload still works.
      expect(await code(old.unaryUnary(method)({}, { timeout: 5 }))).toBe(StatusCode.OK);
      expect(() => srv.reloadCredentials({} as never)).toThrow("reloadCredentials needs ServerCredentials");
    } finally {
      for (const channel of channels) channel.close();
      await srv.stop(null);
    }
  });
});
