import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { type Channel, insecureChannel } from "@tsgrpc/runtime";
import type { TestCertificates } from "@tsgrpc/test-utils";
import { type CaseName, type CaseResult, caseNames, runCases } from "./interop-cases.js";
import { interopChannel } from "./interop-channel.js";
import { type ServerKeyPair, startInteropServer } from "./interop-server.js";
import { runReferenceCases } from "./reference/grpc-js-client.js";
import { startReferenceServer } from "./reference/grpc-js-server.js";
import { runGrpcioClientCases } from "./reference/grpcio-client.js";
import { startGrpcioServer } from "./reference/grpcio-server.js";
import { compressedResponseOnWire } from "./wire-compression.js";

/** A failure the matrix expects, and why. */
export interface ExpectedFailure {
  /** The failure message must match this (so a failure for another reason is still a failure). */
  pattern: RegExp;
  reason: string;
}

const requestCompressionUnseen: ExpectedFailure = {
  pattern: /expect_compressed not checked/,
  reason:
    "grpc-js's server decompresses requests itself and removes `grpc-encoding` before any handler or interceptor runs, so a server on grpc-js cannot tell an uncompressed request from a compressed one and accepts the probe",
};

/** Cases a server on grpc-js (tsgrpc's or plain grpc-js) is expected to fail, whoever the client. */
export const grpcJsServerFailures: Partial<Record<CaseName, ExpectedFailure>> = {
  client_compressed_unary: requestCompressionUnseen,
  client_compressed_streaming: requestCompressionUnseen,
};

/** What the grpcio client finds of a server that neither checks request compression nor compresses responses. */
function grpcioClientCompressionFailures(reason: string): Partial<Record<string, ExpectedFailure>> {
  const probeAccepted = { pattern: /^expected StatusCode\.INVALID_ARGUMENT, got OK$/, reason };
  return {
    client_compressed_unary: probeAccepted,
    client_compressed_streaming: probeAccepted,
    server_compressed_unary: { pattern: /^response_compressed=True: response arrived uncompressed$/, reason },
    server_compressed_streaming: { pattern: /^compressed flags \[False, False\], expected \[True, False\]$/, reason },
  };
}

/** The wire check's expected failure: grpc-js never sets the compressed flag on a response. */
export const responseCompressionUnsent: ExpectedFailure = {
  pattern: /response sent uncompressed/,
  reason:
    "grpc-js 1.14's server always answers `grpc-encoding: identity` and writes every message with the compressed flag clear; its public API has no way to compress a response (tsgrpc's `setCompression` warns once and is not honoured)",
};

/** What a C-core server finds in plain grpc-js's requests in client_compressed_streaming. */
export const grpcJsClientCompression: ExpectedFailure = {
  pattern: /Expected a compressed request, got it uncompressed|Expected an uncompressed request, got it compressed/,
  reason:
    "plain grpc-js compresses per channel and, once a channel has had a response from a C-core server, sends its calls uncompressed (it splits C-core's `grpc-accept-encoding: identity, deflate, gzip` on `,` without trimming, so finds no `gzip`); client_compressed_unary's compressed call had its response on that channel, so the message meant to be compressed arrives uncompressed (on a fresh channel the reference client, which writes both messages alike, would fail on the second one instead); tsgrpc's client does both differently (see Client-side compression below)",
};

/** One column of the matrix: a client talking to a server. */
export interface MatrixColumn {
  title: string;
  results: CaseResult[];
  /** What this column expects to fail. */
  expected: Partial<Record<string, ExpectedFailure>>;
}

/** The channel option of the node-http2 client's columns. */
const nodeHttp2 = { transport: "node-http2" } as const;

/** The wire check as a case result (name `server_compressed_unary (flag on the wire)`). */
export const wireCaseName = "server_compressed_unary (flag on the wire)";

async function wireResult(target: string): Promise<CaseResult> {
  const wire = await compressedResponseOnWire(target);
  const passed = wire.compressed && wire.encoding !== undefined && wire.encoding !== "identity";
  const error = passed
    ? undefined
    : `response sent uncompressed (grpc-encoding ${wire.encoding ?? "absent"}, flag clear, ${wire.payloadSize} bytes)`;
  return { name: wireCaseName as CaseName, passed, ...(error ? { error } : {}) };
}

/** Runs every pairing of our client and server with each other and with the grpc-js reference. */
export async function runMatrix(protoDir: string, tls: { ca: Buffer; server: ServerKeyPair }): Promise<MatrixColumn[]> {
  const grpcJs = await startInteropServer({ port: 0, host: "127.0.0.1", transport: "grpc-js" });
  const grpcJsTls = await startInteropServer({ port: 0, host: "127.0.0.1", tls: tls.server, transport: "grpc-js" });
  const ours = await startInteropServer({ port: 0, host: "127.0.0.1" });
  const oursTls = await startInteropServer({ port: 0, host: "127.0.0.1", tls: tls.server });
  const reference = await startReferenceServer(protoDir);
  const channels: Channel[] = [];
  const open = (channel: Channel) => {
    channels.push(channel);
    return channel;
  };
  const grpcJsTarget = `127.0.0.1:${grpcJs.port}`;
  const referenceTarget = `127.0.0.1:${reference.port}`;
  const oursTarget = `127.0.0.1:${ours.port}`;
  try {
    const serverSide = { ...grpcJsServerFailures, [wireCaseName]: responseCompressionUnsent };
    return [
      {
        title: "tsgrpc client → tsgrpc server (grpc-js)",
        results: [...(await runCases(open(insecureChannel(grpcJsTarget)), caseNames)), await wireResult(grpcJsTarget)],
        expected: serverSide,
      },
      {
        title: "tsgrpc client → tsgrpc server (grpc-js, TLS)",
        results: await runCases(
          open(interopChannel({ host: "127.0.0.1", port: grpcJsTls.port, useTls: true, testCa: tls.ca, hostOverride: "localhost" })),
          caseNames,
        ),
        expected: grpcJsServerFailures,
      },
      {
        title: "tsgrpc client → grpc-js reference server",
        results: [...(await runCases(open(insecureChannel(referenceTarget)), caseNames)), await wireResult(referenceTarget)],
        expected: serverSide,
      },
      {
        title: "grpc-js reference client → tsgrpc server (grpc-js)",
        results: await runReferenceCases(grpcJsTarget, protoDir, caseNames),
        expected: grpcJsServerFailures,
      },
      {
        title: "tsgrpc client → tsgrpc server",
        results: [...(await runCases(open(insecureChannel(oursTarget)), caseNames)), await wireResult(oursTarget)],
        expected: {},
      },
      {
        title: "tsgrpc client → tsgrpc server (TLS)",
        results: await runCases(
          open(interopChannel({ host: "127.0.0.1", port: oursTls.port, useTls: true, testCa: tls.ca, hostOverride: "localhost" })),
          caseNames,
        ),
        expected: {},
      },
      {
        title: "grpc-js reference client → tsgrpc server",
        results: await runReferenceCases(oursTarget, protoDir, caseNames),
        expected: {},
      },
      {
        title: "tsgrpc client (node-http2) → tsgrpc server",
        results: [...(await runCases(open(insecureChannel(oursTarget, nodeHttp2)), caseNames)), await wireResult(oursTarget)],
        expected: {},
      },
      {
        title: "tsgrpc client (node-http2) → tsgrpc server (TLS)",
        results: await runCases(
          open(
            interopChannel({
              host: "127.0.0.1",
              port: oursTls.port,
              useTls: true,
              testCa: tls.ca,
              hostOverride: "localhost",
              ...nodeHttp2,
            }),
          ),
          caseNames,
        ),
        expected: {},
      },
      {
        title: "tsgrpc client (node-http2) → tsgrpc server (grpc-js)",
        results: await runCases(open(insecureChannel(grpcJsTarget, nodeHttp2)), caseNames),
        expected: grpcJsServerFailures,
      },
    ];
  } finally {
    for (const channel of channels) channel.close();
    await Promise.all([grpcJs.close(), grpcJsTls.close(), ours.close(), oursTls.close(), reference.close()]);
  }
}

/**
 * Runs the grpcio (C-core) reference client against tsgrpc's servers: on the default node-http2
 * transport in plaintext and TLS, and on grpc-js. The grpcio client sees how each response arrived, compressed or not.
 */
export async function runGrpcioClientMatrix(protoDir: string, tls: { ca: Buffer; server: ServerKeyPair }): Promise<MatrixColumn[]> {
  const caDir = mkdtempSync(path.join(tmpdir(), "tsgrpc-interop-ca-"));
  const caFile = path.join(caDir, "ca.pem");
  writeFileSync(caFile, tls.ca);
  const grpcJs = await startInteropServer({ port: 0, host: "127.0.0.1", transport: "grpc-js" });
  const ours = await startInteropServer({ port: 0, host: "127.0.0.1" });
  const oursTls = await startInteropServer({ port: 0, host: "127.0.0.1", tls: tls.server });
  try {
    return [
      {
        title: "grpcio client → tsgrpc server (grpc-js)",
        results: await runGrpcioClientCases(protoDir, { port: grpcJs.port }, caseNames),
        expected: grpcioClientCompressionFailures(
          "grpc-js's server cannot tell a handler that a request arrived compressed, nor compress a response (grpc-node #1823)",
        ),
      },
      {
        title: "grpcio client → tsgrpc server",
        results: await runGrpcioClientCases(protoDir, { port: ours.port }, caseNames),
        expected: {},
      },
      {
        title: "grpcio client → tsgrpc server (TLS)",
        results: await runGrpcioClientCases(protoDir, { port: oursTls.port, tls: { caFile, hostOverride: "localhost" } }, caseNames),
        expected: {},
      },
    ];
  } finally {
    await Promise.all([grpcJs.close(), ours.close(), oursTls.close()]);
    rmSync(caDir, { recursive: true, force: true });
  }
}

/** Runs our client (on each client transport) and the grpc-js reference client against the grpcio (C-core) reference server. */
export async function runGrpcioMatrix(protoDir: string, tls: TestCertificates): Promise<MatrixColumn[]> {
  const grpcio = await startGrpcioServer(protoDir);
  const grpcioTls = await startGrpcioServer(protoDir, tls.server);
  const target = `127.0.0.1:${grpcio.port}`;
  const channel = insecureChannel(target);
  const nodeChannel = insecureChannel(target, nodeHttp2);
  const nodeTlsChannel = interopChannel({
    host: "127.0.0.1",
    port: grpcioTls.port,
    useTls: true,
    testCa: tls.ca,
    hostOverride: "localhost",
    ...nodeHttp2,
  });
  try {
    return [
      {
        title: "tsgrpc client → grpcio server",
        results: [...(await runCases(channel, caseNames)), await wireResult(target)],
        expected: {},
      },
      {
        title: "grpc-js reference client → grpcio server",
        results: await runReferenceCases(target, protoDir, caseNames),
        expected: { client_compressed_streaming: grpcJsClientCompression },
      },
      {
        title: "tsgrpc client (node-http2) → grpcio server",
        results: [...(await runCases(nodeChannel, caseNames)), await wireResult(target)],
        expected: {},
      },
      {
        title: "tsgrpc client (node-http2) → grpcio server (TLS)",
        results: await runCases(nodeTlsChannel, caseNames),
        expected: {},
      },
    ];
  } finally {
    channel.close();
    nodeChannel.close();
    nodeTlsChannel.close();
    await Promise.all([grpcio.close(), grpcioTls.close()]);
  }
}

/** A cell: PASS, "expected failure" (failed for the documented reason) or FAIL. */
export function verdict(
  result: CaseResult,
  expected: ExpectedFailure | undefined,
): "PASS" | "expected failure" | "FAIL" | "UNEXPECTED PASS" {
  if (expected) {
    if (result.passed) return "UNEXPECTED PASS";
    return expected.pattern.test(result.error ?? "") ? "expected failure" : "FAIL";
  }
  return result.passed ? "PASS" : "FAIL";
}
