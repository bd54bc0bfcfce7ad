import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";

/**
 * Runs a plugin as protoc and buf call it: a `CodeGeneratorRequest` on stdin, a
 * `CodeGeneratorResponse` on stdout, exit code 0 — also when the response reports an error, so
 * protoc and buf print it. Only a request that cannot be read ends with one line on stderr and exit
 * code 1. (`@bufbuild/protoplugin`'s `runNodeJs` uses stderr and exit code 1 for every error.)
 *
 * `--version` prints the name and version.
 */
export function runNodeJs(plugin: Plugin): void {
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
    process.stdout.write(`${plugin.name} ${plugin.version}\n`);
    return;
  }
  if (args.length > 0 || process.stdin.isTTY) {
    fail(
      plugin,
      "expects a CodeGeneratorRequest on stdin and writes a CodeGeneratorResponse to stdout: " +
        `run it through protoc (--plugin=${plugin.name}=… --ts_out=DIR) or buf (buf.gen.yaml)`,
    );
    return;
  }
  readAll(process.stdin).then(
    (bytes) => {
      let request;
      try {
        request = fromBinary(CodeGeneratorRequestSchema, bytes);
      } catch (error) {
        fail(plugin, `cannot read the CodeGeneratorRequest on stdin (${reason(error)})`);
        return;
      }
      // `run` reports problems in the response; it does not throw.
      process.stdout.write(toBinary(CodeGeneratorResponseSchema, plugin.run(request)));
    },
    (error: unknown) => fail(plugin, `cannot read stdin (${reason(error)})`),
  );
}

function fail(plugin: Plugin, message: string): void {
  process.stderr.write(`${plugin.name}: ${message}\n`);
  process.exitCode = 1;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}
