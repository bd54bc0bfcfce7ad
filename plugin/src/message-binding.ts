import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { GeneratedFile, Printable } from "@bufbuild/protoplugin";
import type { FileLocals } from "./locals.js";
import type { Messages } from "./options.js";
import { esBinding } from "./es-binding.js";
import { tsProtoBinding } from "./ts-proto-binding.js";

/**
 * How generated stubs and servicers refer to the messages of one message library: the types of
 * requests and responses on each side, and the runtime `MethodDefinition` that encodes them.
 */
export interface MessageBinding {
  /** Prints what a service's methods need before its classes (file-level definitions). */
  prepare(service: DescService): void;
  /** What a client passes as a request (a message, or a plain object where the library allows). */
  requestInit(method: DescMethod): Printable;
  /** What a client receives as a response. */
  response(method: DescMethod): Printable;
  /** What a servicer receives as a request. */
  request(method: DescMethod): Printable;
  /** What a servicer may return or yield as a response. */
  responseInit(method: DescMethod): Printable;
  /** An expression for the method's `MethodDefinition`. */
  definition(method: DescMethod): Printable;
}

/** The binding for the `messages` option; `none` means protobuf-es written by another run. */
export function messageBinding(messages: Messages, f: GeneratedFile, locals: FileLocals): MessageBinding {
  return messages === "ts-proto" ? tsProtoBinding(f, locals) : esBinding(f);
}
