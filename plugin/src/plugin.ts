import { create, isFieldSet } from "@bufbuild/protobuf";
import {
  type CodeGeneratorRequest,
  type CodeGeneratorResponse,
  CodeGeneratorResponse_Feature,
  type CodeGeneratorResponse_File,
  CodeGeneratorResponseSchema,
  Edition,
} from "@bufbuild/protobuf/wkt";
// protoc-gen-es has no `exports` map and no programmatic entry point: its plugin module is the API.
import { protocGenEs } from "@bufbuild/protoc-gen-es/dist/cjs/src/protoc-gen-es-plugin.js";
import { createEcmaScriptPlugin, type Plugin } from "@bufbuild/protoplugin";
import { generateGrpc } from "./generate-grpc.js";
import { type GrpcOptions, grpcOptions, parseParameter } from "./options.js";
import { pluginVersion } from "./version.js";

/** The oldest edition the generated code supports. */
export const minimumEdition = Edition.EDITION_PROTO2;
/** The newest edition the generated code supports. */
export const maximumEdition = Edition.EDITION_2023;

const supportedFeatures = BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL | CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS);

const grpcPlugin = createEcmaScriptPlugin<GrpcOptions>({
  name: "protoc-gen-ts",
  version: `v${pluginVersion}`,
  minimumEdition,
  maximumEdition,
  parseOptions: grpcOptions,
  generateTs: generateGrpc,
});

/**
 * The tsgrpc code generator: a pure function from a `CodeGeneratorRequest` to a
 * `CodeGeneratorResponse`, writing `<file>_grpc.ts` (stubs, servicers, registration) for every
 * file with services and, unless `messages=none`, the `<file>_pb.ts` message files of
 * `protoc-gen-es`, composed in-process so one plugin run writes both.
 *
 * `run` never throws: an invalid option or a `.proto` file the generator cannot handle is reported
 * in the response's `error` field, which protoc and buf print (`--ts_out: …`).
 *
 * ```ts
 * import { protocGenTs } from "@tsgrpc/protoc-gen-ts";
 * const response = protocGenTs.run(request);
 * if (response.error !== undefined) throw new Error(response.error);
 * for (const file of response.file) console.log(file.name); // users/users_grpc.ts, …
 * ```
 */
export const protocGenTs: Plugin = {
  name: grpcPlugin.name,
  version: grpcPlugin.version,
  run(request: CodeGeneratorRequest): CodeGeneratorResponse {
    try {
      return response({ file: generate(request) });
    } catch (error) {
      // protoc and buf print the error as one line after the plugin's name.
      const message = error instanceof Error ? error.message : String(error);
      return response({ error: message.trim().replace(/\s*\n\s*/g, "; ") });
    }
  },
};

function generate(request: CodeGeneratorRequest): CodeGeneratorResponse_File[] {
  const parameter = parseParameter(request.parameter);
  if (request.fileToGenerate.length === 0) {
    throw new Error("the CodeGeneratorRequest names no file to generate");
  }
  // Ours first: it checks editions against our own bounds, which may be narrower.
  const grpc = grpcPlugin.run({ ...request, parameter: parameter.grpcParameter });
  if (isFieldSet(grpc, CodeGeneratorResponseSchema.field.error)) {
    throw new Error(grpc.error);
  }
  if (parameter.grpc.messages !== "es") {
    return sortedByName(grpc.file);
  }
  const messages = protocGenEs.run({ ...request, parameter: parameter.esParameter });
  if (isFieldSet(messages, CodeGeneratorResponseSchema.field.error)) {
    throw new Error(messages.error);
  }
  return sortedByName([...messages.file, ...grpc.file]);
}

/** The files in name order, so the response does not depend on the order of the request's files. */
function sortedByName(files: CodeGeneratorResponse_File[]): CodeGeneratorResponse_File[] {
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function response(init: { file: CodeGeneratorResponse_File[] } | { error: string }): CodeGeneratorResponse {
  return create(CodeGeneratorResponseSchema, {
    supportedFeatures,
    minimumEdition,
    maximumEdition,
    ...init,
  });
}
