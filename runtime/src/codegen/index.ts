/**
 * The names generated code imports from `@tsgrpc/runtime`. The plugin imports this list instead of
 * spelling names itself, so a rename here is a type error in the plugin, not a silently broken
 * golden file (the pattern of protobuf-es `codegenv2/symbols.ts`).
 *
 * This entry point is data only: it does not load the runtime or @grpc/grpc-js.
 */

import { compatibilityLine, runtimeVersion } from "../core/version.js";
import type * as runtime from "../index.js";
// Every type symbol must be exported by the runtime's index: a missing one fails to compile here
// (and each is listed in TypeSymbols below, so that the import counts as used).
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
// Mentions every type symbol imported above (a type missing from the index fails at the import).
type TypeSymbols = [
  _Channel,
  _MaybePromise<unknown>,
  _MethodDefinition<unknown, unknown>,
  _ResponseIterable<unknown>,
  _Server,
  _ServicerContext,
  _UnaryUnaryMultiCallable<unknown, unknown>,
  _UnaryStreamMultiCallable<unknown, unknown>,
  _StreamUnaryMultiCallable<unknown, unknown>,
  _StreamStreamMultiCallable<unknown, unknown>,
];
export const valueSymbolsAreExported: ValueSymbol extends keyof typeof runtime ? (TypeSymbols extends unknown[] ? true : false) : false =
  true;
