import type { DescMessage, DescMethod, MessageInitShape } from "@bufbuild/protobuf";
import type { GeneratedFile, ImportSymbol, Printable } from "@bufbuild/protoplugin";
import { EsNames } from "./es-names.js";
import type { MessageBinding } from "./message-binding.js";
import { runtimeSymbol } from "./runtime-symbol.js";

/**
 * protobuf-es messages (`protoc-gen-es`): clients pass a message or a plain init object
 * (`MessageInitShape<typeof CreateUserRequestSchema>`) and receive messages; each method's
 * definition is `esMethod(Users.method.createUser)`, from the service descriptor `protoc-gen-es`
 * exports.
 */
export function esBinding(f: GeneratedFile): MessageBinding {
  const names = new EsNames(f);
  const init = (message: DescMessage): Printable => [messageInitShape(f), "<typeof ", names.schema(message, true), ">"];
  return {
    prepare() {},
    requestInit: (method) => init(method.input),
    response: (method) => names.shape(method.output),
    request: (method) => names.shape(method.input),
    responseInit: (method) => init(method.output),
    definition: (method: DescMethod) => [runtimeSymbol(f, "esMethod"), "(", names.schema(method.parent), ".method.", method.localName, ")"],
  };
}

/**
 * The protobuf-es type generated code uses for requests and responses given as plain objects.
 * `@bufbuild/protobuf` publishes no symbol list for it, so its name is spelled here once, next to
 * a type import of the same name that stops compiling if the package renames it.
 */
const messageInitShapeSymbol: SymbolGuardedBy<MessageInitShape<DescMessage>> = { name: "MessageInitShape", from: "@bufbuild/protobuf" };

/** A symbol's name and module; `T` is the imported type whose name it spells (the compile-time guard). */
interface SymbolGuardedBy<T> {
  readonly name: string;
  readonly from: string;
  /** Never set: it makes `T` part of the type, so that the import of `T` is checked and used. */
  readonly guard?: T;
}

function messageInitShape(f: GeneratedFile): ImportSymbol {
  return f.import(messageInitShapeSymbol.name, messageInitShapeSymbol.from, true);
}
