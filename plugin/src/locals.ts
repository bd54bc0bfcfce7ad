import type { GeneratedFile, ImportSymbol } from "@bufbuild/protoplugin";

/**
 * The identifiers a generated file declares or uses unqualified — parameters (`channel`,
 * `context`), globals (`AsyncIterable`, `Partial`) and file-level constants — as symbols of the file
 * itself. protoplugin treats a symbol imported from the importing file as taken and aliases any
 * import of the same name (`context` → `context$1`), so a message called `context` or `Partial` can
 * never shadow them.
 */
export class FileLocals {
  private readonly self: string;
  private readonly taken = new Set<string>();

  constructor(
    private readonly f: GeneratedFile,
    fileName: string,
  ) {
    // What protoplugin derives as the import path of a generated file.
    const path = fileName.replace(/\.(js|ts|d\.ts)$/, ".js");
    this.self = path.startsWith("./") || path.startsWith("../") ? path : `./${path}`;
  }

  /** A name used unqualified in the file (a parameter, a global); imports of it get an alias. */
  name(name: string): ImportSymbol {
    return this.f.import(name, this.self, true);
  }

  /**
   * A new file-level declaration named `base`, or `base$1`, `base$2`… when another declaration of
   * the file already has that name (`$` cannot occur in a `.proto` name).
   */
  declare(base: string): ImportSymbol {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) {
      name = `${base}$${i}`;
    }
    this.taken.add(name);
    return this.name(name);
  }
}
