import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { Printable } from "@bufbuild/protoplugin";

/**
 * How generated stubs and servicers refer to the messages of one message library: the types of
 * requests and responses on each side, and the runtime `MethodDefinition` that encodes them.
 * Implemented by es-binding.ts and ts-proto-binding.ts; `messageBinding()` in generate-grpc.ts picks one.
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
