import type { AnyMethodDefinition } from "../core/method-definition.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import {
  type RpcMethodHandler,
  streamStreamRpcMethodHandler,
  streamUnaryRpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "./method-handlers.js";

type Behaviour = (input: unknown, context: ServicerContext) => never;

/**
 * The method handlers of a servicer (a class instance or a plain object) for the methods in
 * `methods`, keyed by method name. A method the servicer lacks answers UNIMPLEMENTED "Method not
 * implemented!"; methods are called with the servicer as `this`. Used by generated
 * `add<Service>ServicerToServer` functions.
 */
export function servicerMethodHandlers(servicer: object, methods: Record<string, AnyMethodDefinition>): Record<string, RpcMethodHandler> {
  // No prototype: an rpc named `__proto__` must become a key, not replace the prototype.
  const handlers: Record<string, RpcMethodHandler> = Object.create(null);
  for (const [name, definition] of Object.entries(methods)) {
    const own = name === "__proto__" ? Object.getOwnPropertyDescriptor(servicer, name)?.value : (servicer as Record<string, unknown>)[name];
    const behaviour: Behaviour =
      typeof own === "function"
        ? (input, context) => own.call(servicer, input, context) as never
        : (_input, context) => context.abort(StatusCode.UNIMPLEMENTED, "Method not implemented!");
    const serializers = {
      requestDeserializer: (bytes: Uint8Array) => definition.deserializeRequest(bytes),
      responseSerializer: (message: unknown) => definition.serializeResponse(message),
    };
    handlers[name] = definition.requestStream
      ? definition.responseStream
        ? streamStreamRpcMethodHandler(behaviour, serializers)
        : streamUnaryRpcMethodHandler(behaviour, serializers)
      : definition.responseStream
        ? unaryStreamRpcMethodHandler(behaviour, serializers)
        : unaryUnaryRpcMethodHandler(behaviour, serializers);
  }
  return handlers;
}
