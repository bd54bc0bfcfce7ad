/**
 * The plugin's options: `--ts_opt=key=value,key=value` with protoc, `opt:` with buf.
 *
 * One parser validates every option, so an unknown key or a bad value fails with a message naming
 * it and listing what is valid. The standard options of `@bufbuild/protoplugin` are passed on to
 * it; the options of `protoc-gen-es` only to the message generator; ours only to ours.
 */
import { closest, distance } from "fastest-levenshtein";

/**
 * Which message library the generated stubs and servicers bind to, and whether this run also
 * writes its files: `es` (protobuf-es, written in the same run), `ts-proto` (written by a
 * `protoc-gen-ts_proto` run beside ours) or `none` (protobuf-es, written by a separate
 * `protoc-gen-es` run).
 */
export type Messages = "es" | "ts-proto" | "none";

/** How methods are named on stubs and servicers. */
export type MethodNames = "proto" | "camel";

/** The options only this plugin understands. */
export interface GrpcOptions {
  /**
   * `es` (default): also write the `*_pb.ts` files `protoc-gen-es` writes, in the same run.
   * `none`: write only `*_grpc.ts`, importing the `*_pb.js` files a separate `protoc-gen-es` run
   * writes to the same output directory.
   * `ts-proto`: write only `*_grpc.ts`, binding to the messages (`*.ts`) that `protoc-gen-ts_proto`
   * writes to the same output directory (its default options; `outputServices=false` recommended).
   */
  readonly messages: Messages;
  /** `proto` (default): `stub.CreateUser`, as grpcio. `camel`: `stub.createUser`. */
  readonly methodNames: MethodNames;
}

/** A parsed and validated plugin parameter. */
export interface ParsedParameter {
  readonly grpc: GrpcOptions;
  /** The parameter for our own generator: standard options (defaults made explicit) and ours. */
  readonly grpcParameter: string;
  /** The parameter for `protoc-gen-es`: standard options (defaults made explicit) and its own. */
  readonly esParameter: string;
}

/** An unknown option or an invalid value, reported in the response's `error` field. */
export class PluginOptionError extends Error {
  override name = "PluginOptionError";
}

type Audience = "standard" | "grpc" | "es";

interface OptionSpec {
  readonly key: string;
  readonly audience: Audience;
  readonly values: readonly string[];
  /** Values are `+`-separated lists of `values` (`target=js+dts`). */
  readonly list?: boolean;
  /** Made explicit when absent, because it differs from `@bufbuild/protoplugin`'s default. */
  readonly defaultValue?: string;
}

const bool = ["true", "false", "1", "0"] as const;

/** Every option, in the order error messages list them. */
const optionSpecs: readonly OptionSpec[] = [
  { key: "target", audience: "standard", values: ["ts", "js", "dts"], list: true, defaultValue: "ts" },
  { key: "import_extension", audience: "standard", values: ["js", "ts", "none"], defaultValue: "js" },
  { key: "js_import_style", audience: "standard", values: ["module", "legacy_commonjs"] },
  { key: "keep_empty_files", audience: "standard", values: bool },
  { key: "ts_nocheck", audience: "standard", values: bool },
  { key: "elide_plugin_version", audience: "standard", values: bool },
  { key: "messages", audience: "grpc", values: ["es", "ts-proto", "none"] },
  { key: "method_names", audience: "grpc", values: ["proto", "camel"] },
  { key: "json_types", audience: "es", values: bool },
  { key: "valid_types", audience: "es", values: ["legacy_required", "protovalidate_required"], list: true },
  { key: "erasable_syntax", audience: "es", values: bool },
];

/** The names of all options, as listed in error messages. */
export const optionNames: readonly string[] = optionSpecs.map((o) => o.key);

interface RawOption {
  readonly key: string;
  readonly value: string;
}

/**
 * Parses the plugin parameter (`target=ts,method_names=camel`). A key may repeat; the last value
 * wins. Throws `PluginOptionError` for an unknown key or an invalid value.
 */
export function parseParameter(parameter: string): ParsedParameter {
  const raw = splitParameter(parameter);
  const given = new Map<string, string>();
  for (const option of raw) {
    validate(option);
    given.set(option.key, option.value);
  }
  const grpc = grpcOptions(raw);
  if (grpc.messages !== "es") {
    const esOnly = raw.find((o) => specOf(o.key)?.audience === "es");
    if (esOnly !== undefined) {
      throw new PluginOptionError(`option "${esOnly.key}" configures the message files, which messages=${grpc.messages} does not write`);
    }
  }
  const defaults = optionSpecs.filter((o) => o.defaultValue !== undefined && !given.has(o.key)).map((o) => `${o.key}=${o.defaultValue}`);
  const join = (audience: Audience): string =>
    [
      ...defaults,
      ...raw
        .filter((o) => {
          const a = specOf(o.key)?.audience;
          return a === "standard" || a === audience;
        })
        .map((o) => `${o.key}=${o.value}`),
    ].join(",");
  return { grpc, grpcParameter: join("grpc"), esParameter: join("es") };
}

/**
 * Our own options from already validated raw options; options meant for others are ignored.
 * This is also the `parseOptions` hook of `@bufbuild/protoplugin`.
 */
export function grpcOptions(raw: readonly RawOption[]): GrpcOptions {
  let messages: Messages = "es";
  let methodNames: MethodNames = "proto";
  for (const option of raw) {
    validate(option);
    switch (option.key) {
      case "messages":
        messages = option.value === "none" || option.value === "ts-proto" ? option.value : "es";
        break;
      case "method_names":
        methodNames = option.value === "camel" ? "camel" : "proto";
        break;
    }
  }
  return { messages, methodNames };
}

function specOf(key: string): OptionSpec | undefined {
  return optionSpecs.find((o) => o.key === key);
}

function validate({ key, value }: RawOption): void {
  const spec = specOf(key);
  if (spec === undefined) {
    const nearest = closest(key, [...optionNames]);
    // A typo (within two edits) gets a suggestion: `import_extention` → `import_extension`.
    const hint = distance(key, nearest) <= 2 ? ` (did you mean "${nearest}"?)` : "";
    throw new PluginOptionError(`unknown option "${key}"${hint}; valid options: ${optionNames.join(", ")}`);
  }
  const parts = spec.list === true ? value.split("+") : [value];
  if (!parts.every((part) => spec.values.includes(part))) {
    const valid = spec.values.join(", ");
    const hint = spec.list === true ? ` (several joined by "+")` : "";
    throw new PluginOptionError(`invalid value "${value}" for option "${key}"; valid values: ${valid}${hint}`);
  }
}

function splitParameter(parameter: string): RawOption[] {
  if (parameter.length === 0) {
    return [];
  }
  return parameter
    .split(",")
    .filter((entry) => entry.trim().length > 0)
    .map((entry) => {
      const i = entry.indexOf("=");
      return i < 0 ? { key: entry.trim(), value: "" } : { key: entry.slice(0, i).trim(), value: entry.slice(i + 1).trim() };
    });
}
