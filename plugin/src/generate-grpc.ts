import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { GeneratedFile, ImportSymbol, Printable, Schema } from "@bufbuild/protoplugin";
import type { Channel, Server, ServicerContext, StatusCode } from "@tsgrpc/runtime";
import { runtimeCompatibility, symbols } from "@tsgrpc/runtime/codegen";
import { detachedCommentLines, docText } from "./comments.js";
import type { GrpcOptions } from "./options.js";
import {
  addServicerName,
  messageInitShapeSymbol,
  methodMemberNames,
  servicerName,
  stubName,
} from "./names.js";

type MethodKind = DescMethod["methodKind"];

/** The runtime names a method of each kind uses: its multi-callable type and channel factory. */
const callables = {
  unary: { type: "UnaryUnaryMultiCallable", factory: "unaryUnary" },
  server_streaming: { type: "UnaryStreamMultiCallable", factory: "unaryStream" },
  client_streaming: { type: "StreamUnaryMultiCallable", factory: "streamUnary" },
  bidi_streaming: { type: "StreamStreamMultiCallable", factory: "streamStream" },
} as const satisfies Record<MethodKind, { type: keyof typeof symbols; factory: keyof Channel }>;

// Members of runtime types that generated code calls; a rename in the runtime fails to compile here.
const registerMethod = "addRegisteredMethodHandlers" satisfies keyof Server;
const abortMethod = "abort" satisfies keyof ServicerContext;
const unimplemented = "UNIMPLEMENTED" satisfies keyof typeof StatusCode;

/**
 * Writes `<file>_grpc.ts` for every file to generate: for each service, a stub class for clients
 * (`UsersStub`), a servicer base class for servers (`UsersServicer`), and a function registering a
 * servicer on a server (`addUsersServicerToServer`) — grpcio's `users_pb2_grpc.py` in TypeScript.
 *
 * A file without services yields an empty file, which protoplugin drops unless
 * `keep_empty_files=true`.
 */
export function generateGrpc(schema: Schema<GrpcOptions>): void {
  for (const file of schema.files) {
    const f = schema.generateFile(`${file.name}_grpc.ts`);
    f.preamble(file);
    if (file.services.length === 0) {
      continue;
    }
    f.print(runtime(f, "assertRuntimeVersion"), "(", f.string(runtimeCompatibility), ");");
    for (const service of file.services) {
      const names = methodMemberNames(service, schema.options.methodNames);
      f.print();
      generateStub(f, service, names);
      f.print();
      generateServicer(f, service, names);
      f.print();
      generateAddServicer(f, service, names);
    }
  }
}

function generateStub(f: GeneratedFile, service: DescService, names: Map<DescMethod, string>): void {
  printLines(f, detachedCommentLines(service));
  f.print(f.jsDoc(docText(service)));
  f.print(f.export("class", stubName(service)), " {");
  for (const method of service.methods) {
    const { type } = callables[method.methodKind];
    printLines(f, detachedCommentLines(method, "  "));
    f.print(f.jsDoc(docText(method), "  "));
    f.print("  readonly ", name(names, method), ": ", runtime(f, type), "<", requestInit(f, method), ", ",
      f.importShape(method.output), ">;");
    f.print();
  }
  const channel = service.methods.length > 0 ? "channel" : "_channel";
  f.print("  constructor(", channel, ": ", runtime(f, "Channel"), ") {", service.methods.length > 0 ? "" : "}");
  for (const method of service.methods) {
    const { factory } = callables[method.methodKind];
    f.print("    this.", name(names, method), " = channel.", factory, "(", methodDefinition(f, method), ");");
  }
  if (service.methods.length > 0) {
    f.print("  }");
  }
  f.print("}");
}

function generateServicer(f: GeneratedFile, service: DescService, names: Map<DescMethod, string>): void {
  f.print(f.jsDoc(docText(service)));
  f.print(f.export("class", servicerName(service)), " {", service.methods.length > 0 ? "" : "}");
  for (const [i, method] of service.methods.entries()) {
    if (i > 0) {
      f.print();
    }
    printLines(f, detachedCommentLines(method, "  "));
    f.print(f.jsDoc(docText(method), "  "));
    const requestStream = method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming";
    const responseStream = method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming";
    const request: Printable = requestStream
      ? ["_requests: AsyncIterable<", f.importShape(method.input), ">"]
      : ["_request: ", f.importShape(method.input)];
    const result = runtime(f, responseStream ? "ResponseIterable" : "MaybePromise");
    f.print("  ", name(names, method), "(", request, ", context: ", runtime(f, "ServicerContext"), "): ", result,
      "<", responseInit(f, method), "> {");
    f.print("    return context.", abortMethod, "(", runtime(f, "StatusCode"), ".", unimplemented, ", ",
      f.string("Method not implemented!"), ");");
    f.print("  }");
  }
  if (service.methods.length > 0) {
    f.print("}");
  }
}

function generateAddServicer(f: GeneratedFile, service: DescService, names: Map<DescMethod, string>): void {
  const summary = "Registers `servicer` on `server`. Methods it does not implement answer UNIMPLEMENTED.";
  f.print(f.jsDoc(docText(service, summary)));
  f.print(f.export("function", addServicerName(service)), "(servicer: Partial<", servicerName(service),
    ">, server: ", runtime(f, "Server"), "): void {");
  f.print("  server.", registerMethod, "(", f.string(service.typeName), ", ",
    runtime(f, "servicerMethodHandlers"), "(servicer, {", service.methods.length > 0 ? "" : "}));");
  for (const method of service.methods) {
    f.print("    ", name(names, method), ": ", methodDefinition(f, method), ",");
  }
  if (service.methods.length > 0) {
    f.print("  }));");
  }
  f.print("}");
}

/** `esMethod(Users.method.createUser)`: the runtime's definition of a protobuf-es method. */
function methodDefinition(f: GeneratedFile, method: DescMethod): Printable {
  return [runtime(f, "esMethod"), "(", f.importSchema(method.parent), ".method.", method.localName, ")"];
}

/** `MessageInitShape<typeof CreateUserRequestSchema>`: a request as a message or a plain object. */
function requestInit(f: GeneratedFile, method: DescMethod): Printable {
  return [messageInitShape(f), "<typeof ", f.importSchema(method.input, true), ">"];
}

/** `MessageInitShape<typeof CreateUserResultSchema>`: a response as a message or a plain object. */
function responseInit(f: GeneratedFile, method: DescMethod): Printable {
  return [messageInitShape(f), "<typeof ", f.importSchema(method.output, true), ">"];
}

function messageInitShape(f: GeneratedFile): ImportSymbol {
  const { name, from, typeOnly } = messageInitShapeSymbol;
  return f.import(name, from, typeOnly);
}

/** Imports a name from the runtime's published symbol list. */
function runtime(f: GeneratedFile, symbol: keyof typeof symbols): ImportSymbol {
  const { from, typeOnly } = symbols[symbol];
  return f.import(symbol, from, typeOnly);
}

function name(names: Map<DescMethod, string>, method: DescMethod): string {
  const member = names.get(method);
  if (member === undefined) {
    throw new Error(`no member name for ${method.toString()}`);
  }
  return member;
}

function printLines(f: GeneratedFile, lines: readonly string[]): void {
  for (const line of lines) {
    f.print(line);
  }
}
