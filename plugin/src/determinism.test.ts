import { readFileSync } from "node:fs";
import { join } from "node:path";
import { toBinary } from "@bufbuild/protobuf";
import { type CodeGeneratorRequest, CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { repoRoot, requestFor } from "./__tests__/protos.js";
import { listFiles } from "./__tests__/tools.js";
import { protocGenTs } from "./plugin.js";

// The same input gives the same bytes: run twice, and with the files in another order.
const protoDir = join(repoRoot, "fixtures", "proto");
const sources = Object.fromEntries(
  listFiles(protoDir)
    .filter((f) => f !== "syntax/editions.proto")
    .map((f) => [f, readFileSync(join(protoDir, f), "utf8")]),
);

function responseBytes(request: CodeGeneratorRequest): Uint8Array {
  const response = protocGenTs.run(request);
  expect(response.error).toBe("");
  expect(response.file.length).toBeGreaterThan(8);
  return toBinary(CodeGeneratorResponseSchema, response);
}

test.each(["", "messages=ts-proto,method_names=camel", "target=js+dts,js_import_style=legacy_commonjs"])(
  "two runs and a reordered request give identical bytes (%j)",
  (parameter) => {
    const first = responseBytes(requestFor(sources, parameter));
    const again = responseBytes(requestFor(sources, parameter));
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);

    // Files named in reverse order: protoc then sends file_to_generate and the descriptors (still
    // in dependency order, as protoc guarantees) in another order.
    const reordered = requestFor(sources, parameter, Object.keys(sources).reverse());
    const names = (r: CodeGeneratorRequest) => r.protoFile.map((f) => f.name).join(",");
    expect(names(reordered)).not.toBe(names(requestFor(sources, parameter)));
    const other = responseBytes(reordered);
    expect(Buffer.from(other).equals(Buffer.from(first))).toBe(true);
  },
  60_000,
);
