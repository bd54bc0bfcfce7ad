import { readFileSync } from "node:fs";
import { join } from "node:path";
import { optionNames, parseParameter } from "./options.js";
import { pluginVersion } from "./version.js";

describe("parseParameter", () => {
  test.each([
    ["", { messages: "es", methodNames: "proto" }, "target=ts,import_extension=js", "target=ts,import_extension=js"],
    [
      "method_names=camel,elide_plugin_version=true",
      { messages: "es", methodNames: "camel" },
      "target=ts,import_extension=js,method_names=camel,elide_plugin_version=true",
      "target=ts,import_extension=js,elide_plugin_version=true",
    ],
    [
      "target=js+dts,import_extension=none,json_types=true",
      { messages: "es", methodNames: "proto" },
      "target=js+dts,import_extension=none",
      "target=js+dts,import_extension=none,json_types=true",
    ],
    [
      "messages=none",
      { messages: "none", methodNames: "proto" },
      "target=ts,import_extension=js,messages=none",
      "target=ts,import_extension=js",
    ],
    [
      "messages=ts-proto",
      { messages: "ts-proto", methodNames: "proto" },
      "target=ts,import_extension=js,messages=ts-proto",
      "target=ts,import_extension=js",
    ],
    // The last value of a repeated key wins; empty entries are ignored.
    [
      "method_names=camel,,method_names=proto",
      { messages: "es", methodNames: "proto" },
      "target=ts,import_extension=js,method_names=camel,method_names=proto",
      "target=ts,import_extension=js",
    ],
  ])("%j", (parameter, grpc, grpcParameter, esParameter) => {
    expect(parseParameter(parameter)).toEqual({ grpc, grpcParameter, esParameter });
  });

  test.each([
    ["bogus=1", `unknown option "bogus"; valid options: ${optionNames.join(", ")}`],
    ["Target=ts", `unknown option "Target" (did you mean "target"?); valid options: target, import_extension, js_import_style,`],
    ["import_extention=js", `unknown option "import_extention" (did you mean "import_extension"?); valid options: target,`],
    ["method_names=snake", `invalid value "snake" for option "method_names"; valid values: proto, camel`],
    ["messages=", `invalid value "" for option "messages"; valid values: es, ts-proto, none`],
    ["elide_plugin_version", `invalid value "" for option "elide_plugin_version"; valid values: true, false, 1, 0`],
    ["target=ts+go", `invalid value "ts+go" for option "target"; valid values: ts, js, dts (several joined by "+")`],
    ["messages=none,json_types=true", `option "json_types" configures the message files, which messages=none does not write`],
    [
      "messages=ts-proto,valid_types=legacy_required",
      `option "valid_types" configures the message files, which messages=ts-proto does not write`,
    ],
  ])("%j is rejected", (parameter, message) => {
    expect(() => parseParameter(parameter)).toThrow(message);
  });

  test("lists every option in the error message", () => {
    expect(optionNames).toEqual([
      "target",
      "import_extension",
      "js_import_style",
      "keep_empty_files",
      "ts_nocheck",
      "elide_plugin_version",
      "messages",
      "method_names",
      "json_types",
      "valid_types",
      "erasable_syntax",
    ]);
  });
});

test("pluginVersion matches package.json", () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string };
  expect(pluginVersion).toBe(pkg.version);
});
