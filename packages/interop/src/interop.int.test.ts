import * as path from "node:path";
import { checkLeaksAfterAll, makeTestCertificates } from "@tsgrpc/test-utils";
import { caseNames } from "./interop-cases.js";
import { type MatrixColumn, runMatrix, verdict, wireCaseName } from "./matrix.js";

// Every interop case between our client and our server (plaintext and TLS), our client and a plain
// grpc-js reference server, and a plain grpc-js reference client and our server. Expected failures
// must fail for their documented reason: if one starts passing, this suite fails and the matrix in
// docs/interop.md (npm run interop:matrix) must be regenerated.

checkLeaksAfterAll();

let columns: MatrixColumn[] = [];

beforeAll(async () => {
  columns = await runMatrix(path.join(__dirname, "..", "proto"), makeTestCertificates());
}, 30_000);

const titles = [
  "tsgrpc client → tsgrpc server",
  "tsgrpc client → tsgrpc server (TLS)",
  "tsgrpc client → grpc-js reference server",
  "grpc-js reference client → tsgrpc server",
];

describe.each(titles)("%s", (title) => {
  const column = () => {
    const found = columns.find((c) => c.title === title);
    if (!found) throw new Error(`no column ${title}`);
    return found;
  };

  it("runs every case", () => {
    const names = column().results.map((r) => r.name as string).filter((name) => name !== wireCaseName);
    expect(names).toEqual(caseNames);
  });

  it.each(caseNames)("%s: passes, or fails for its documented reason", (name) => {
    const result = column().results.find((r) => r.name === name);
    const expected = column().expected[name];
    expect({ name, verdict: result && verdict(result, expected), error: result?.error }).toEqual({
      name,
      verdict: expected ? "expected failure" : "PASS",
      error: expected ? expect.stringMatching(expected.pattern) : undefined,
    });
  });
});

it("server_compressed_*: a grpc-js server sends the response uncompressed (checked on the wire)", () => {
  for (const title of [titles[0], titles[2]]) {
    const column = columns.find((c) => c.title === title);
    const wire = column?.results.find((r) => (r.name as string) === wireCaseName);
    expect(wire && verdict(wire, column?.expected[wireCaseName])).toBe("expected failure");
  }
});
