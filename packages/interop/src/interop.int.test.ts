import * as path from "node:path";
import { checkLeaksAfterAll, makeTestCertificates } from "@tsgrpc/test-utils";
import { type MatrixColumn, runMatrix } from "./matrix.js";
import { describeColumns } from "./matrix-expectations.js";

// Every interop case between our client and our server on each transport (plaintext and TLS), our client and a plain
// grpc-js reference server, and a plain grpc-js reference client and our server. Expected failures
// must fail for their documented reason: if one starts passing, this suite fails and the matrix in
// docs/interop.md (npm run interop:matrix) must be regenerated. The wire check shows that a grpc-js
// server sends server_compressed_* responses uncompressed. (grpcio-server.int.test.ts runs the
// columns with the grpcio server.)

checkLeaksAfterAll();

let columns: MatrixColumn[] = [];

beforeAll(async () => {
  columns = await runMatrix(path.join(__dirname, "..", "proto"), makeTestCertificates());
}, 30_000);

describeColumns(
  [
    { title: "tsgrpc client → tsgrpc server (grpc-js)", wire: true },
    { title: "tsgrpc client → tsgrpc server (grpc-js, TLS)" },
    { title: "tsgrpc client → grpc-js reference server", wire: true },
    { title: "grpc-js reference client → tsgrpc server (grpc-js)" },
    { title: "tsgrpc client → tsgrpc server", wire: true },
    { title: "tsgrpc client → tsgrpc server (TLS)" },
    { title: "grpc-js reference client → tsgrpc server" },
    { title: "tsgrpc client (node-http2) → tsgrpc server", wire: true },
    { title: "tsgrpc client (node-http2) → tsgrpc server (TLS)" },
    { title: "tsgrpc client (node-http2) → tsgrpc server (grpc-js)" },
  ],
  () => columns,
);
