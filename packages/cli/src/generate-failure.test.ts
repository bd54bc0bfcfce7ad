// `tsgrpc generate` never leaves less than it found: whatever fails (a .proto error, a bad plugin
// option, a missing import, a crashing protoc or plugin), on the buf path and the protoc path, with
// `clean: true` (what `tsgrpc init` writes) or without, the previous output stays byte-identical;
// and the error speaks of the user's files and options, never of internal flags or scratch paths.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { bufEntry, createProject, pluginBin, requireBuild } from "./__tests__/fixture-tree.js";
import { CliError } from "./cli-error.js";
import { generate } from "./generate.js";
import { findProtoc } from "./protoc.js";

let project: ReturnType<typeof createProject>;
beforeAll(() => requireBuild(pluginBin));
beforeEach(() => {
  project = createProject();
});
afterEach(() => project.remove());

/** Every file below gen/, with its bytes. */
function outputOf(dir: string): Record<string, string> {
  const gen = join(dir, "gen");
  const files: Record<string, string> = {};
  for (const entry of readdirSync(gen, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[relative(gen, join(entry.parentPath, entry.name))] = readFileSync(join(entry.parentPath, entry.name), "base64");
  }
  return files;
}

function setClean(clean: boolean): void {
  const config = join(project.dir, "buf.gen.yaml");
  const text = readFileSync(config, "utf8").replace(/^clean: .*\n/m, "");
  writeFileSync(config, clean ? `clean: true\n${text}` : text);
}

const breakages: Record<string, () => void> = {
  "a .proto syntax error": () =>
    writeFileSync(join(project.dir, "proto/users/broken.proto"), 'syntax = "proto3";\nmessage A { string a = 1 }\n'),
  "an unknown plugin option": () => {
    const config = join(project.dir, "buf.gen.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("opt: elide_plugin_version=true", "opt: foo=bar"));
  },
  "a missing import": () =>
    writeFileSync(join(project.dir, "proto/users/importer.proto"), 'syntax = "proto3";\nimport "users/nowhere.proto";\nmessage B {}\n'),
  "a plugin that crashes": () => {
    const crash = join(project.dir, "crash.cjs");
    writeFileSync(crash, "#!/usr/bin/env node\nprocess.kill(process.pid, 'SIGSEGV');\n");
    chmodSync(crash, 0o755);
    const config = join(project.dir, "buf.gen.yaml");
    writeFileSync(config, `${readFileSync(config, "utf8")}  - local: ${JSON.stringify(crash)}\n    out: gen/crash\n`);
  },
};

describe.each([
  ["buf", false],
  ["buf", true],
  ["protoc", false],
  ["protoc", true],
] as const)("generate with %s (clean: %p)", (via, clean) => {
  const run = () => generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto", ...(via === "protoc" && { protoc: findProtoc() }) });

  it.each(Object.keys(breakages))(
    "leaves the previous output byte-identical after %s",
    async (breakage) => {
      setClean(clean);
      await run();
      const before = outputOf(project.dir);
      expect(Object.keys(before).length).toBeGreaterThanOrEqual(3);
      breakages[breakage]?.();
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CliError);
      const text = [(error as CliError).message, ...(error as CliError).details].join("\n");
      expect(text).not.toMatch(/tsgrpc-generate-|_out:|--plugin=/);
      expect(outputOf(project.dir)).toEqual(before);
    },
    60_000,
  );
});

test.each([false, true])(
  "leaves the previous output byte-identical after protoc itself crashes mid-write (clean: %p)",
  async (clean) => {
    setClean(clean);
    await generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto", protoc: findProtoc() });
    const before = outputOf(project.dir);
    // A protoc that writes half a file into every out directory it is given, then dies.
    const protoc = join(project.dir, "crashing-protoc.sh");
    writeFileSync(
      protoc,
      '#!/bin/sh\nfor arg in "$@"; do case "$arg" in --*_out=*) d=$(echo "$arg" | cut -d= -f2-); mkdir -p "$d/users"; printf half > "$d/users/users_pb.ts";; esac; done\nkill -SEGV $$\n',
    );
    chmodSync(protoc, 0o755);
    const error = await generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto", protoc }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(outputOf(project.dir)).toEqual(before);
  },
  60_000,
);

test("protoc's errors name the plugin and option as the template wrote them", async () => {
  const config = join(project.dir, "buf.gen.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace("opt: elide_plugin_version=true", "opt: foo=bar"));
  const error = (await generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto", protoc: findProtoc() }).catch(
    (e: unknown) => e,
  )) as CliError;
  expect(error.message).toMatch(/^plugin node .*protoc-gen-ts\.cjs \(out: gen\): unknown option "foo"; valid options: /);
}, 30_000);

test("a run that succeeds after a failure installs the new output, removing what is no longer generated with clean", async () => {
  setClean(true);
  await generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto" });
  writeFileSync(join(project.dir, "gen/users/stale_pb.ts"), "// @generated stale\n");
  const report = await generate({ cwd: project.dir, buf: bufEntry, protoPath: "proto" });
  expect(Object.keys(outputOf(project.dir)).sort()).toEqual(["users/users_grpc.ts", "users/users_pb.ts", "users/users_types_pb.ts"]);
  expect(report.files.map((f) => [f.path, f.changed])).toEqual([
    ["gen/users/users_grpc.ts", false],
    ["gen/users/users_pb.ts", false],
    ["gen/users/users_types_pb.ts", false],
  ]);
}, 60_000);
