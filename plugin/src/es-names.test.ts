import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { createEcmaScriptPlugin } from "@bufbuild/protoplugin";
import { repoRoot, requestFor } from "./__tests__/protos.js";
import { EsNames } from "./es-names.js";

/** Every name EsNames gives, next to what protoplugin's importShape/importSchema give. */
function compareNames(files: Record<string, string>): { ours: string[]; protoplugin: string[] } {
  const ours: string[] = [];
  const protoplugin: string[] = [];
  const plugin = createEcmaScriptPlugin({
    name: "names-check",
    version: "v0",
    generateTs(schema) {
      const f = schema.generateFile("check.ts");
      const names = new EsNames(f);
      for (const file of schema.allFiles) {
        for (const desc of nestedTypes(file)) {
          const key = desc.toString();
          if (desc.kind === "message" || desc.kind === "enum") {
            ours.push(`${key} shape ${names.shape(desc).name} from ${names.shape(desc).from}`);
            protoplugin.push(`${key} shape ${f.importShape(desc).name} from ${f.importShape(desc).from}`);
          }
          ours.push(`${key} schema ${names.schema(desc).name} from ${names.schema(desc).from}`);
          protoplugin.push(`${key} schema ${f.importSchema(desc).name} from ${f.importSchema(desc).from}`);
        }
      }
    },
  });
  plugin.run(requestFor(files, "target=ts"));
  return { ours, protoplugin };
}

function fixtureProtos(): Record<string, string> {
  const root = join(repoRoot, "fixtures/proto");
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".proto")) files[relative(root, path)] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  // protoc 3.21 cannot parse editions; the golden tests cover that file through buf.
  delete files["syntax/editions.proto"];
  return files;
}

test("names every element of the fixtures (and the well-known types they import) as protoplugin does", () => {
  const { ours, protoplugin } = compareNames(fixtureProtos());
  expect(ours.length).toBeGreaterThan(50);
  expect(ours).toEqual(protoplugin);
});

test("resolves clashes between shapes, descriptors, services and reserved words as protoplugin does", () => {
  const { ours, protoplugin } = compareNames({
    "clash/clash.proto": `
      syntax = "proto3";
      package clash;
      import "google/protobuf/empty.proto";
      message A { message B {} enum E { E_UNSPECIFIED = 0; } }
      message A_B {}
      message A_BSchema {}
      message ASchema {}
      message Schema {}
      enum A_E { A_E_UNSPECIFIED = 0; }
      message Array {}
      message Object {}
      message function {}
      message file_clash_clash_proto {}
      service A_ESchema { rpc Get(A) returns (google.protobuf.Empty); }
      service ArraySchema { rpc Get(A) returns (A); }
    `,
  });
  expect(ours).toEqual(protoplugin);
  expect(ours).toContain("message clash.A_B shape A_B$ from ./clash/clash_pb.js");
});
