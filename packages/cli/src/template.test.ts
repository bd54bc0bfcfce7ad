import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { CliError } from "./cli-error.js";
import { readTemplate } from "./template.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tsgrpc-template-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function template(text: string) {
  writeFileSync(join(dir, "buf.gen.yaml"), text);
  return readTemplate(join(dir, "buf.gen.yaml"), "buf.gen.yaml");
}

test("reads plugins, with opt as a string or a list, and clean", () => {
  const t = template(
    [
      "version: v2",
      "clean: true",
      "plugins:",
      "  - local: protoc-gen-ts",
      '    out: "src/gen" # generated',
      "    opt: target=ts",
      "  - local: [node, plugin.cjs]",
      "    out: other",
      "    opt: [a=1, b=2]",
      "",
    ].join("\n"),
  );
  expect(t.clean).toBe(true);
  expect(t.plugins).toEqual([
    { local: "protoc-gen-ts", out: "src/gen", opt: ["target=ts"] },
    { local: ["node", "plugin.cjs"], out: "other", opt: ["a=1", "b=2"] },
  ]);
});

test("withOuts redirects every out and keeps the rest", () => {
  const t = template("version: v2\nplugins:\n  - local: x\n    out: gen\n    opt: k=v\n");
  expect(parse(t.withOuts((out) => `/tmp/${out}`))).toEqual({
    version: "v2",
    plugins: [{ local: "x", out: "/tmp/gen", opt: "k=v" }],
  });
});

test.each([
  ["plugins: [", /^buf\.gen\.yaml: /],
  ["version: v2\n", /lists no plugins/],
  ["plugins:\n  - local: x\n", /plugin 1 has no "out"/],
])("rejects %j with one line", (text, message) => {
  expect(() => template(text)).toThrow(CliError);
  expect(() => template(text)).toThrow(message);
});

test("names a missing template", () => {
  expect(() => readTemplate(join(dir, "nope.yaml"), "nope.yaml")).toThrow(/^nope\.yaml not found/);
});
