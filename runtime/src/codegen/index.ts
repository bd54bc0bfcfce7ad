/**
 * The names generated code imports from `@tsgrpc/runtime`. The plugin imports this list instead of
 * spelling names itself, so a rename here is a type error in the plugin, not a silently broken
 * golden file (the pattern of protobuf-es `codegenv2/symbols.ts`).
 *
 * This entry point is data only: it does not load the runtime or @grpc/grpc-js.
 */
import type * as runtime from "../index.js";
// Every type symbol must be exported by the runtime's index: a missing one fails to compile here.
import type {
  Channel as _Channel,
  MaybePromise as _MaybePromise,
  MethodDefinition as _MethodDefinition,
  ResponseIterable as _ResponseIterable,
  Server as _Server,
  ServicerContext as _ServicerContext,
  StreamStreamMultiCallable as _StreamStreamMultiCallable,
  StreamUnaryMultiCallable as _StreamUnaryMultiCallable,
  UnaryStreamMultiCallable as _UnaryStreamMultiCallable,
  UnaryUnaryMultiCallable as _UnaryUnaryMultiCallable,
} from "../index.js";
import { compatibilityLine, runtimeVersion } from "../core/version.js";

export const packageName = "@tsgrpc/runtime";

/** What generated code passes to `assertRuntimeVersion`. */
export const runtimeCompatibility = compatibilityLine(runtimeVersion);

interface RuntimeSymbol {
  readonly typeOnly: boolean;
  readonly from: typeof packageName;
}

export const symbols = {
  assertRuntimeVersion: { typeOnly: false, from: packageName },
  esMethod: { typeOnly: false, from: packageName },
  servicerMethodHandlers: { typeOnly: false, from: packageName },
  StatusCode: { typeOnly: false, from: packageName },
  Channel: { typeOnly: true, from: packageName },
  MaybePromise: { typeOnly: true, from: packageName },
  MethodDefinition: { typeOnly: true, from: packageName },
  ResponseIterable: { typeOnly: true, from: packageName },
  Server: { typeOnly: true, from: packageName },
  ServicerContext: { typeOnly: true, from: packageName },
  UnaryUnaryMultiCallable: { typeOnly: true, from: packageName },
  UnaryStreamMultiCallable: { typeOnly: true, from: packageName },
  StreamUnaryMultiCallable: { typeOnly: true, from: packageName },
  StreamStreamMultiCallable: { typeOnly: true, from: packageName },
} as const satisfies Record<string, RuntimeSymbol>;

// Every value symbol must be a value export of the runtime's index: a missing one fails here.
type ValueSymbol = {
  [K in keyof typeof symbols]: (typeof symbols)[K]["typeOnly"] extends false ? K : never;
}[keyof typeof symbols];
export const valueSymbolsAreExported: ValueSymbol extends keyof typeof runtime ? true : false = true;
