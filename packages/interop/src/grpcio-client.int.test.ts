import * as path from "node:path";
import { checkLeaksAfterAll, makeTestCertificates } from "@tsgrpc/test-utils";
import { type MatrixColumn, runGrpcioClientMatrix } from "./matrix.js";
import { describeColumns } from "./matrix-expectations.js";

// Every interop case of the Python grpcio client (C-core) against tsgrpc's servers: on grpc-js, and
// on node-http2 in plaintext and TLS. The grpcio client sees whether each response arrived
// compressed (server_compressed_*), which no grpc-js client can. It needs Debian's python3-grpcio
// and python3-grpc-tools (.ci/run installs them). docs/interop.md (npm run interop:matrix) has the
// same columns.

checkLeaksAfterAll();

let columns: MatrixColumn[] = [];

beforeAll(async () => {
  columns = await runGrpcioClientMatrix(path.join(__dirname, "..", "proto"), makeTestCertificates());
}, 120_000);

describeColumns(
  [
    { title: "grpcio client → tsgrpc server (grpc-js)" },
    { title: "grpcio client → tsgrpc server" },
    { title: "grpcio client → tsgrpc server (TLS)" },
  ],
  () => columns,
);
