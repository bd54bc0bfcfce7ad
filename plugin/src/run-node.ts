import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";

/**
 * Runs a plugin as protoc and buf call it: a `CodeGeneratorRequest` on stdin, a
 * `CodeGeneratorResponse` on stdout, exit code 0 — also when the response reports an error, so
 * protoc and buf print it. Only a request that cannot be read ends with one line on stderr and exit
 * code 1: an empty stdin, or bytes that are not a request. (`@bufbuild/protoplugin`'s `runNodeJs` uses
 * stderr and exit code 1 for every error.)
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
      const outcome = handleRequest(plugin, bytes);
      if (outcome.stdout !== undefined) {
        process.stdout.write(outcome.stdout);
      }
      if (outcome.stderr !== undefined) {
        fail(plugin, outcome.stderr);
      }
    },
    (error: unknown) => fail(plugin, `cannot read stdin (${reason(error)})`),
  );
}

/** What the bin writes for one request: a response on stdout, or one line on stderr (exit code 1). */
export type RequestOutcome =
  | { readonly stdout: Uint8Array; readonly stderr?: never }
  | { readonly stdout?: never; readonly stderr: string };

/**
 * The bin's work on the bytes of stdin, without the process: decodes the request, runs the plugin,
 * encodes the response. Never throws; a request that cannot be read yields a one-line message.
 */
export function handleRequest(plugin: Plugin, bytes: Uint8Array): RequestOutcome {
  if (bytes.length === 0) {
    return { stderr: "the CodeGeneratorRequest on stdin is empty: run the plugin through protoc or buf" };
  }
  let request;
  try {
    request = fromBinary(CodeGeneratorRequestSchema, bytes);
  } catch (error) {
    return { stderr: `cannot read the CodeGeneratorRequest on stdin (${reason(error)})` };
  }
  try {
    // `run` reports problems in the response; this catch is for a plugin that throws anyway.
    return { stdout: toBinary(CodeGeneratorResponseSchema, plugin.run(request)) };
  } catch (error) {
    return { stderr: `failed: ${reason(error)}` };
  }
}

function fail(plugin: Plugin, message: string): void {
  process.stderr.write(`${plugin.name}: ${message}\n`);
  process.exitCode = 1;
}

/** The first line of an error's message: stderr gets one line, never a stack. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? "";
}

function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}
