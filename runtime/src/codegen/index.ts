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

/** The package generated code imports the runtime from. */
export const packageName = "@tsgrpc/runtime";

/** What generated code passes to `assertRuntimeVersion`. */
export const runtimeCompatibility = compatibilityLine(runtimeVersion);

/** How generated code imports one name of the runtime. */
export interface RuntimeSymbol<TypeOnly extends boolean = boolean> {
  /** Whether the name is a type only, imported with `import type`. */
  readonly typeOnly: TypeOnly;
  /** The module the name is imported from. */
  readonly from: typeof packageName;
}

const value: RuntimeSymbol<false> = { typeOnly: false, from: packageName };
const typeOnly: RuntimeSymbol<true> = { typeOnly: true, from: packageName };

/** Every runtime name generated code imports, and how. */
export const symbols = {
  /** Called at import: fails with a clear message when the runtime is not the one the code was generated for. */
  assertRuntimeVersion: value,
  /** Makes a method's definition from protobuf-es's descriptor. */
  esMethod: value,
  /** Turns a servicer into the handlers `add…ServicerToServer` registers. */
  servicerMethodHandlers: value,
  /** The status codes a servicer base class's UNIMPLEMENTED methods abort with. */
  StatusCode: value,
  /** What a stub is made from. */
  Channel: typeOnly,
  /** A servicer method's result: a value or a promise of one. */
  MaybePromise: typeOnly,
  /** The type of a method's definition. */
  MethodDefinition: typeOnly,
  /** What a response-streaming servicer method returns. */
  ResponseIterable: typeOnly,
  /** What `add…ServicerToServer` registers on. */
  Server: typeOnly,
  /** The context each servicer method is given. */
  ServicerContext: typeOnly,
  /** A stub's unary-unary method. */
  UnaryUnaryMultiCallable: typeOnly,
  /** A stub's unary-stream method. */
  UnaryStreamMultiCallable: typeOnly,
  /** A stub's stream-unary method. */
  StreamUnaryMultiCallable: typeOnly,
  /** A stub's stream-stream method. */
  StreamStreamMultiCallable: typeOnly,
} as const;

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
// Fails to compile when a value name above is not a value export of the runtime.
const valueSymbolsCheck: ValueSymbol extends keyof typeof runtime ? (TypeSymbols extends unknown[] ? true : false) : false = true;
/** Every value name in `symbols` is a value export of the runtime: checked when the runtime compiles. */
export const valueSymbolsAreExported: true = valueSymbolsCheck;
