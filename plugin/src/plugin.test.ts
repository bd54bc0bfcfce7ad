import { create, isFieldSet } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponse_Feature, CodeGeneratorResponseSchema, Edition } from "@bufbuild/protobuf/wkt";
import { generate, generatedFile, requestFor } from "./__tests__/protos.js";
import { protocGenTs } from "./plugin.js";

const proto = { "a.proto": `syntax = "proto3"; package a; message M { optional string s = 1; } service S { rpc Get(M) returns (M); }` };

test("declares proto3 optional and editions PROTO2 to 2023", () => {
  const response = protocGenTs.run(requestFor(proto));
  expect(isFieldSet(response, CodeGeneratorResponseSchema.field.error)).toBe(false);
  expect(response.supportedFeatures).toBe(
    BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL | CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS),
  );
  expect(response.minimumEdition).toBe(Edition.EDITION_PROTO2);
  expect(response.maximumEdition).toBe(Edition.EDITION_2023);
  expect(response.file.map((f) => f.name)).toEqual(["a_grpc.ts", "a_pb.ts"]);
});

test("an invalid option is reported in the response, not thrown", () => {
  const response = protocGenTs.run(requestFor(proto, "bogus=1"));
  expect(response.error).toMatch(/^unknown option "bogus"; valid options: target, import_extension, /);
  expect(response.file).toEqual([]);
});

test("an edition newer than 2023 is reported in the response", () => {
  const request = requestFor(proto);
  const file = request.protoFile[0];
  if (file === undefined) throw new Error("no file");
  file.syntax = "editions";
  file.edition = Edition.EDITION_2024;
  expect(protocGenTs.run(request).error).toBe("a.proto: unsupported edition 2024 - the latest supported edition is 2023");
});

test("a request naming a file it does not contain is reported in the response", () => {
  const request = requestFor(proto);
  request.fileToGenerate.push("missing.proto");
  expect(protocGenTs.run(request).error).toBe("files_to_generate missing in the request: missing.proto");
});

test("protoc-gen-es options reach the message generator", () => {
  const files = generate(proto, "json_types=true");
  expect(generatedFile(files, "a_pb.ts")).toContain("export type MJson = {");
  expect(generatedFile(files, "a_grpc.ts")).not.toContain("json_types");
});

test("target=js+dts writes JavaScript and declarations", () => {
  const files = generate(proto, "target=js+dts");
  expect([...files.keys()].sort()).toEqual(["a_grpc.d.ts", "a_grpc.js", "a_pb.d.ts", "a_pb.js"]);
  expect(generatedFile(files, "a_grpc.js")).toContain("this.Get = channel.unaryUnary(esMethod(S.method.get));");
  expect(generatedFile(files, "a_grpc.d.ts")).toContain("readonly Get: UnaryUnaryMultiCallable<");
});

test("a request without files to generate is reported in the response", () => {
  const response = protocGenTs.run(create(CodeGeneratorRequestSchema));
  expect(response.error).toBe("the CodeGeneratorRequest names no file to generate");
  expect(response.file).toEqual([]);
});

test("an unresolvable type reference is reported in one line, without partial output", () => {
  const request = requestFor(proto);
  const method = request.protoFile[0]?.service[0]?.method[0];
  if (method === undefined) throw new Error("no method");
  method.inputType = ".a.Missing";
  const response = protocGenTs.run(request);
  expect(response.error).toMatch(/\.a\.Missing|a\.Missing/);
  expect(response.error).not.toContain("\n");
  expect(response.file).toEqual([]);
});

test("a file whose import is missing from proto_file is reported, without partial output", () => {
  const request = requestFor({ ...proto, "b.proto": `syntax = "proto3"; import "a.proto"; service T { rpc X(a.M) returns (a.M); }` });
  request.protoFile = request.protoFile.filter((f) => f.name !== "a.proto");
  request.fileToGenerate = ["b.proto"];
  const response = protocGenTs.run(request);
  expect(response.error).toMatch(/a\.proto/);
  expect(response.file).toEqual([]);
});
