import type { DescEnum, DescExtension, DescFile, DescMessage, DescService } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { type GeneratedFile, type ImportSymbol, safeIdentifier } from "@bufbuild/protoplugin";

type Element = DescMessage | DescEnum | DescExtension | DescService;

/** The names `protoc-gen-es` exports for the elements of one file. */
interface FileNames {
  /** Where they are imported from (`./users_pb.js`, or `@bufbuild/protobuf/wkt`). */
  readonly from: string;
  /** Message and enum types: `User`. */
  readonly shapes: ReadonlyMap<DescMessage | DescEnum, string>;
  /** Descriptors: `UserSchema`, and services and extensions by their own name. */
  readonly descriptors: ReadonlyMap<Element, string>;
}

/**
 * The symbols `protoc-gen-es` exports, named once per file. protoplugin's `importShape` and
 * `importSchema` name every element of a file again on each call, which makes a services file
 * that imports thousands of messages from one large file quadratic (googleapis' compute.proto:
 * ~1,000 methods, ~2,000 messages, 25 s instead of well under one). The rules below are
 * protoplugin's: shapes claim names first, then descriptors, in declaration order, and a name
 * already taken gets `$`, then `$1`, `$2`, … (`es-names.test.ts` checks them against protoplugin).
 */
export class EsNames {
  readonly #f: GeneratedFile;
  readonly #files = new Map<DescFile, FileNames>();

  constructor(f: GeneratedFile) {
    this.#f = f;
  }

  /** The message or enum type, as `importShape` gives it. */
  shape(desc: DescMessage | DescEnum): ImportSymbol {
    const names = this.#namesOf(desc.file);
    return this.#f.import(required(names.shapes.get(desc), desc), names.from, true);
  }

  /** The descriptor (`UserSchema`, or a service), as `importSchema` gives it. */
  schema(desc: Element, typeOnly = false): ImportSymbol {
    const names = this.#namesOf(desc.file);
    return this.#f.import(required(names.descriptors.get(desc), desc), names.from, typeOnly);
  }

  #namesOf(file: DescFile): FileNames {
    let names = this.#files.get(file);
    if (names === undefined) {
      // The import path is protoplugin's own (one call per file keeps its WKT and bootstrap rules).
      names = { from: this.#f.importSchema(file).from, ...nameElements(file) };
      this.#files.set(file, names);
    }
    return names;
  }
}

function nameElements(file: DescFile): Omit<FileNames, "from"> {
  const taken = new Set<string>();
  const claim = (base: string): string => {
    for (let i = 0; ; i++) {
      const name = safeIdentifier(base + (i === 0 ? "" : i === 1 ? "$" : `$${i - 1}`));
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  const elements = [...nestedTypes(file)];
  const shapes = new Map<DescMessage | DescEnum, string>();
  for (const desc of elements) {
    if (desc.kind === "message" || desc.kind === "enum") {
      shapes.set(desc, claim(localName(desc)));
    }
  }
  claim(`file_${file.name.replace(/[^a-zA-Z0-9_]+/g, "_")}`);
  const descriptors = new Map<Element, string>();
  for (const desc of elements) {
    const isType = desc.kind === "message" || desc.kind === "enum";
    descriptors.set(desc, claim(isType ? `${localName(desc)}Schema` : localName(desc)));
  }
  return { shapes, descriptors };
}

/** The type name without the package, `.` as `_`: `users.User.Role` → `User_Role`. */
function localName(desc: Element): string {
  const pkg = desc.file.proto.package;
  return desc.typeName.slice(pkg.length > 0 ? pkg.length + 1 : 0).replace(/\./g, "_");
}

function required(name: string | undefined, desc: Element): string {
  if (name === undefined) {
    throw new Error(`no generated name for ${desc.toString()}`);
  }
  return name;
}
