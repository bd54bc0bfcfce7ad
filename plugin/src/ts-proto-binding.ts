import type { DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import type { GeneratedFile, ImportSymbol, Printable } from "@bufbuild/protoplugin";
import { docText } from "./comments.js";
import type { FileLocals } from "./locals.js";
import type { MessageBinding } from "./message-binding.js";
import { runtimeSymbol } from "./runtime-symbol.js";

/**
 * ts-proto messages (`protoc-gen-ts_proto` with its default naming, run beside this plugin into
 * the same output directory): `a/b.proto` becomes `a/b.ts`, exporting for each message an
 * interface and a `MessageFns` value of the same name, and `DeepPartial`. Clients pass a
 * `DeepPartial<Req>`, servicers return a `DeepPartial<Res>`; both are completed with
 * `fromPartial` before `encode`. ts-proto writes no method descriptors, so each method's
 * `MethodDefinition` is a constant in the generated file:
 *
 * ```ts
 * const Users_CreateUserMethod: MethodDefinition<CreateUserRequest, CreateUserResult, DeepPartial<CreateUserRequest>, DeepPartial<CreateUserResult>> = {
 *   path: "/users.Users/CreateUser",
 *   …
 *   serializeRequest: (request) => CreateUserRequest.encode(CreateUserRequest.fromPartial(request)).finish(),
 *   deserializeRequest: (bytes) => CreateUserRequest.decode(bytes),
 *   …
 * };
 * ```
 */
export function tsProtoBinding(f: GeneratedFile, locals: FileLocals): MessageBinding {
  const definitions = new Map<DescMethod, ImportSymbol>();
  const message = (desc: DescMessage): ImportSymbol => f.import(tsProtoTypeName(desc), tsProtoImportPath(desc), false);
  const deepPartial = (desc: DescMessage): Printable => [
    f.import("DeepPartial", tsProtoImportPath(desc), true),
    "<",
    message(desc).toTypeOnly(),
    ">",
  ];
  return {
    prepare(service: DescService) {
      for (const method of service.methods) {
        const name = locals.declare(`${service.name}_${method.name}Method`);
        definitions.set(method, name);
        printDefinition(f, locals, method, name, message, deepPartial);
      }
    },
    requestInit: (method) => deepPartial(method.input),
    response: (method) => message(method.output).toTypeOnly(),
    request: (method) => message(method.input).toTypeOnly(),
    responseInit: (method) => deepPartial(method.output),
    definition(method) {
      const name = definitions.get(method);
      if (name === undefined) {
        throw new Error(`no method definition for ${method.toString()}`);
      }
      return name;
    },
  };
}

function printDefinition(
  f: GeneratedFile,
  locals: FileLocals,
  method: DescMethod,
  name: ImportSymbol,
  message: (desc: DescMessage) => ImportSymbol,
  deepPartial: (desc: DescMessage) => Printable,
): void {
  const { input, output, methodKind } = method;
  const [request, response, bytes] = [locals.name("request"), locals.name("response"), locals.name("bytes")];
  f.print(f.jsDoc(docText(method, "The path, shape and wire format of this method, with ts-proto's messages.")));
  f.print(
    "const ",
    name,
    ": ",
    runtimeSymbol(f, "MethodDefinition"),
    "<",
    message(input).toTypeOnly(),
    ", ",
    message(output).toTypeOnly(),
    ", ",
    deepPartial(input),
    ", ",
    deepPartial(output),
    "> = {",
  );
  f.print("  path: ", f.string(`/${method.parent.typeName}/${method.name}`), ",");
  f.print("  requestStream: ", methodKind === "client_streaming" || methodKind === "bidi_streaming", ",");
  f.print("  responseStream: ", methodKind === "server_streaming" || methodKind === "bidi_streaming", ",");
  f.print("  serializeRequest: (", request, ") => ", message(input), ".encode(", message(input), ".fromPartial(", request, ")).finish(),");
  f.print("  deserializeRequest: (", bytes, ") => ", message(input), ".decode(", bytes, "),");
  f.print(
    "  serializeResponse: (",
    response,
    ") => ",
    message(output),
    ".encode(",
    message(output),
    ".fromPartial(",
    response,
    ")).finish(),",
  );
  f.print("  deserializeResponse: (", bytes, ") => ", message(output), ".decode(", bytes, "),");
  f.print("};");
  f.print();
}

/** ts-proto's file for a message: `google/protobuf/empty.proto` → `./google/protobuf/empty.js`. */
export function tsProtoImportPath(desc: DescMessage): string {
  return `./${desc.file.name}.js`;
}

/**
 * ts-proto's name for a message with its default options: nested names joined by `_`
 * (`Outer_Inner`), each part with `snake_case` turned into `camelCase`, and `Date` or `Function`
 * suffixed with `Message` (ts-proto `visit.ts`, `case.ts`).
 */
export function tsProtoTypeName(desc: DescMessage): string {
  const parts: string[] = [];
  for (let d: DescMessage | undefined = desc; d !== undefined; d = d.parent) {
    parts.unshift(d.name.includes("_") ? snakeToCamel(d.name) : d.name);
  }
  const name = parts.join("_");
  return name === "Date" || name === "Function" ? `${name}Message` : name;
}

function snakeToCamel(s: string): string {
  const hasLowerCase = /[a-z]/.test(s);
  return s
    .split("_")
    .map((word, i) => {
      const w = hasLowerCase ? word : word.toLowerCase();
      return i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1);
    })
    .join("");
}
