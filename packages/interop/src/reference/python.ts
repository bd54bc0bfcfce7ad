// Debian's Python with grpcio and grpc_tools: the C-core peers (./grpcio-server.py, ./grpcio-client.py).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

/** Debian's Python, which `python3-grpcio` and `python3-grpc-tools` install into. */
export const python = "/usr/bin/python3";

const run = promisify(execFile);

/** A temporary directory holding messages_pb2.py; `remove()` deletes it. */
export interface PythonStubs {
  dir: string;
  remove(): void;
}

/**
 * Generates the interop messages for Python from `protoDir` (packages/interop/proto) into a
 * temporary directory. Rejects with what to install when Python's grpcio is missing.
 */
export async function pythonStubs(protoDir: string): Promise<PythonStubs> {
  await run(python, ["-c", "import grpc, grpc_tools.protoc"]).catch((error: Error) => {
    const why = error.message.split("\n").find((line) => line.includes("Error")) ?? error.message;
    throw new Error(
      `the grpcio interop peers need Python's grpcio and grpc_tools for ${python}: apt-get install -y python3-grpcio python3-grpc-tools (.ci/run installs them) (${why})`,
    );
  });
  const dir = mkdtempSync(path.join(tmpdir(), "tsgrpc-grpcio-stubs-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    // Only the messages: the peers address methods by path, and a package named `grpc.testing`
    // would be shadowed by grpcio's own `grpc` package.
    const testing = path.join(protoDir, "grpc", "testing");
    await run(python, ["-m", "grpc_tools.protoc", `-I${testing}`, `--python_out=${dir}`, path.join(testing, "messages.proto")]);
    return { dir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
