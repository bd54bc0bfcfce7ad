import type { GeneratedFile, ImportSymbol } from "@bufbuild/protoplugin";
import { symbols } from "@tsgrpc/runtime/codegen";

/** Imports a name from the runtime's published symbol list. */
export function runtimeSymbol(f: GeneratedFile, symbol: keyof typeof symbols): ImportSymbol {
  const { from, typeOnly } = symbols[symbol];
  return f.import(symbol, from, typeOnly);
}
