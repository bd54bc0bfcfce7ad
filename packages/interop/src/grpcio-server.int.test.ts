import * as path from "node:path";
import { checkLeaksAfterAll, makeTestCertificates } from "@tsgrpc/test-utils";
import { type MatrixColumn, runGrpcioMatrix } from "./matrix.js";
import { describeColumns } from "./matrix-expectations.js";

// Every interop case of our client (on each client transport, the node-http2 one with TLS too), and
// of the plain grpc-js reference client, against a Python
// grpcio server (C-core): the peer that checks how each request message arrived, compressed or not
// (client_compressed_*), and that compresses responses (the wire check). It needs Debian's
// python3-grpcio and python3-grpc-tools (.ci/run installs them); without them the suite fails,
// saying so. The matrix in docs/interop.md (npm run interop:matrix) has the same columns.

checkLeaksAfterAll();

let columns: MatrixColumn[] = [];

beforeAll(async () => {
  columns = await runGrpcioMatrix(path.join(__dirname, "..", "proto"), makeTestCertificates());
}, 60_000);

describeColumns(
  [
    { title: "tsgrpc client → grpcio server", wire: true },
    { title: "grpc-js reference client → grpcio server" },
    { title: "tsgrpc client (node-http2) → grpcio server", wire: true },
    { title: "tsgrpc client (node-http2) → grpcio server (TLS)" },
  ],
  () => columns,
);
