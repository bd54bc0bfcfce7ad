import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliError } from "./cli-error.js";

/** What `tsgrpc init` writes, relative to the project directory. */
export const initFiles: Readonly<Record<string, string>> = {
  "buf.yaml": `# The .proto files of this project (a buf module). See https://buf.build/docs/configuration/v2/buf-yaml
version: v2
modules:
  - path: proto
`,
  "buf.gen.yaml": `# How \`tsgrpc generate\` (buf generate) turns proto/ into TypeScript. One run of the tsgrpc
# plugin writes the messages (*_pb.ts, @bufbuild/protobuf) and the services (*_grpc.ts).
version: v2
clean: true
plugins:
  - local: protoc-gen-tsgrpc
    out: src/gen
`,
  "proto/greeter/v1/greeter.proto": `syntax = "proto3";

package greeter.v1;

// Greets people.
service Greeter {
  // Answers one greeting.
  rpc SayHello(SayHelloRequest) returns (SayHelloResponse);
  // Answers with one greeting per requested language, as a stream.
  rpc SayHelloStream(SayHelloStreamRequest) returns (stream SayHelloResponse);
}

message SayHelloRequest {
  string name = 1;
}

message SayHelloStreamRequest {
  string name = 1;
  repeated string languages = 2;
}

message SayHelloResponse {
  string message = 1;
}
`,
};

/** The npm scripts `tsgrpc init` adds to package.json. */
export const initScripts: Readonly<Record<string, string>> = {
  generate: "tsgrpc generate",
  "check:generated": "tsgrpc check",
};

/** What `init` did, paths relative to the project directory. */
export interface InitReport {
  readonly written: readonly string[];
  readonly scripts: readonly string[];
}

/**
 * Sets a project up for tsgrpc: a `buf.yaml`, a `buf.gen.yaml` wired to the tsgrpc plugin, an
 * example `.proto`, and npm scripts. Refuses (naming every conflict, writing nothing) to replace
 * an existing file or a different script of the same name, unless `force`.
 */
export function init(options: { cwd: string; force?: boolean }): InitReport {
  const { cwd, force = false } = options;
  const packagePath = join(cwd, "package.json");
  const pkg: { scripts?: Record<string, string> } = existsSync(packagePath)
    ? JSON.parse(readFileSync(packagePath, "utf8"))
    : { name: basename(cwd), version: "0.1.0", private: true, type: "module" };
  const scripts = { ...pkg.scripts };

  const conflicts = Object.keys(initFiles).filter((file) => existsSync(join(cwd, file)));
  for (const [name, command] of Object.entries(initScripts)) {
    const existing = scripts[name];
    if (existing !== undefined && existing !== command) conflicts.push(`package.json script "${name}"`);
  }
  if (conflicts.length > 0 && !force) {
    throw new CliError(`would overwrite ${conflicts.join(", ")}; pass --force to replace them`);
  }

  for (const [file, text] of Object.entries(initFiles)) {
    mkdirSync(dirname(join(cwd, file)), { recursive: true });
    writeFileSync(join(cwd, file), text);
  }
  Object.assign(scripts, initScripts);
  writeFileSync(packagePath, `${JSON.stringify({ ...pkg, scripts }, null, 2)}\n`);
  return { written: Object.keys(initFiles), scripts: Object.keys(initScripts) };
}

/** The report for humans, with the next steps. */
export function formatInit(report: InitReport): string {
  return [
    ...report.written.map((file) => `wrote ${file}`),
    `added npm scripts: ${report.scripts.join(", ")}`,
    "next: npm run generate   (then import from ./src/gen/greeter/v1/greeter_grpc.js)",
  ].join("\n");
}
