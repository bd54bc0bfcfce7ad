import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { GeneratedFile, ImportSymbol, Printable, Schema } from "@bufbuild/protoplugin";
import type { Channel, Server, ServicerContext, StatusCode } from "@tsgrpc/runtime";
import { runtimeCompatibility, type symbols } from "@tsgrpc/runtime/codegen";
import { detachedCommentLines, docText } from "./comments.js";
import { esBinding } from "./es-binding.js";
import { FileLocals } from "./locals.js";
import type { MessageBinding } from "./message-binding.js";
import { addServicerName, methodMemberNames, servicerName, stubName } from "./names.js";
import type { GrpcOptions, Messages } from "./options.js";
import { runtimeSymbol as runtime } from "./runtime-symbol.js";
import { tsProtoBinding } from "./ts-proto-binding.js";

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

/** What the printers of one `_grpc.ts` file share. */
interface FileContext {
  readonly f: GeneratedFile;
  readonly messages: MessageBinding;
  /** Parameters and globals the file uses unqualified (see `FileLocals`). */
  readonly local: (name: string) => ImportSymbol;
}

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
    const fileName = `${file.name}_grpc.ts`;
    const f = schema.generateFile(fileName);
    f.preamble(file);
    if (file.services.length === 0) {
      continue;
    }
    const locals = new FileLocals(f, fileName);
    const c: FileContext = { f, messages: messageBinding(schema.options.messages, f, locals), local: (n) => locals.name(n) };
    f.print(runtime(f, "assertRuntimeVersion"), "(", f.string(runtimeCompatibility), ");");
    f.print();
    for (const service of file.services) {
      c.messages.prepare(service);
    }
    for (const [i, service] of file.services.entries()) {
      const names = methodMemberNames(service, schema.options.methodNames);
      if (i > 0) {
        f.print();
      }
      generateStub(c, service, names);
      f.print();
      generateServicer(c, service, names);
      f.print();
      generateAddServicer(c, service, names);
    }
  }
}

function generateStub(c: FileContext, service: DescService, names: Map<DescMethod, string>): void {
  const { f, messages, local } = c;
  printLines(f, detachedCommentLines(service));
  f.print(f.jsDoc(docText(service)));
  f.print(f.export("class", stubName(service)), " {");
  for (const method of service.methods) {
    const { type } = callables[method.methodKind];
    printLines(f, detachedCommentLines(method, "  "));
    f.print(f.jsDoc(docText(method), "  "));
    f.print(
      "  readonly ",
      name(names, method),
      ": ",
      runtime(f, type),
      "<",
      messages.requestInit(method),
      ", ",
      messages.response(method),
      ">;",
    );
    f.print();
  }
  const channel = local(service.methods.length > 0 ? "channel" : "_channel");
  f.print("  constructor(", channel, ": ", runtime(f, "Channel"), ") {", service.methods.length > 0 ? "" : "}");
  for (const method of service.methods) {
    const { factory } = callables[method.methodKind];
    f.print("    this.", name(names, method), " = ", channel, ".", factory, "(", messages.definition(method), ");");
  }
  if (service.methods.length > 0) {
    f.print("  }");
  }
  f.print("}");
}

function generateServicer(c: FileContext, service: DescService, names: Map<DescMethod, string>): void {
  const { f, messages, local } = c;
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
      ? [local("_requests"), ": ", local("AsyncIterable"), "<", messages.request(method), ">"]
      : [local("_request"), ": ", messages.request(method)];
    const result = runtime(f, responseStream ? "ResponseIterable" : "MaybePromise");
    const context = local("context");
    f.print(
      "  ",
      name(names, method),
      "(",
      request,
      ", ",
      context,
      ": ",
      runtime(f, "ServicerContext"),
      "): ",
      result,
      "<",
      messages.responseInit(method),
      "> {",
    );
    f.print(
      "    return ",
      context,
      ".",
      abortMethod,
      "(",
      runtime(f, "StatusCode"),
      ".",
      unimplemented,
      ", ",
      f.string("Method not implemented!"),
      ");",
    );
    f.print("  }");
  }
  if (service.methods.length > 0) {
    f.print("}");
  }
}

function generateAddServicer(c: FileContext, service: DescService, names: Map<DescMethod, string>): void {
  const { f, messages, local } = c;
  const [servicer, server] = [local("servicer"), local("server")];
  const summary = "Registers `servicer` on `server`. Methods it does not implement answer UNIMPLEMENTED.";
  f.print(f.jsDoc(docText(service, summary)));
  f.print(
    f.export("function", addServicerName(service)),
    "(",
    servicer,
    ": ",
    local("Partial"),
    "<",
    servicerName(service),
    ">, ",
    server,
    ": ",
    runtime(f, "Server"),
    "): void {",
  );
  // The server routes by proto method name; where a member is named otherwise (camelCase, `then$`),
  // the servicer's methods are looked up under their proto names in an object of their own.
  const renamed = service.methods.some((m) => name(names, m) !== m.name);
  let implementations: Printable = servicer;
  if (renamed) {
    implementations = local("methods");
    f.print("  const ", implementations, " = {");
    for (const method of service.methods) {
      f.print("    ", protoKey(method), ": ", servicer, ".", name(names, method), "?.bind(", servicer, "),");
    }
    f.print("  };");
  }
  f.print(
    "  ",
    server,
    ".",
    registerMethod,
    "(",
    f.string(service.typeName),
    ", ",
    runtime(f, "servicerMethodHandlers"),
    "(",
    implementations,
    ", {",
    service.methods.length > 0 ? "" : "}));",
  );
  for (const method of service.methods) {
    f.print("    ", protoKey(method), ": ", messages.definition(method), ",");
  }
  if (service.methods.length > 0) {
    f.print("  }));");
  }
  f.print("}");
}

/** A method's proto name as a key of an object literal (`__proto__` would set the prototype). */
function protoKey(method: DescMethod): string {
  return method.name === "__proto__" ? `["__proto__"]` : method.name;
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

/** The binding for the `messages` option; `none` means protobuf-es written by another run. */
function messageBinding(messages: Messages, f: GeneratedFile, locals: FileLocals): MessageBinding {
  return messages === "ts-proto" ? tsProtoBinding(f, locals) : esBinding(f);
}
