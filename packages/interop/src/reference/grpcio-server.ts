// Runs the grpcio reference server (./grpcio-server.py, Python's grpcio on C-core) in a child
// process: the C-core peer our client is checked against. It sees how each request arrived
// (compressed or not), which no grpc-js server can.
import { type ChildProcessByStdio, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";
import { promisify } from "node:util";
import type { ReferenceServer } from "./grpc-js-server.js";

/** Debian's Python, which `python3-grpcio` and `python3-grpc-tools` install into. */
export const python = "/usr/bin/python3";

const missing =
  `the grpcio interop server needs Python's grpcio and grpc_tools for ${python}: ` +
  "apt-get install -y python3-grpcio python3-grpc-tools (.ci/run installs them)";

const run = promisify(execFile);

/**
 * Starts the grpcio TestService server (plaintext) on 127.0.0.1 and a free port. Its message
 * classes are generated from `protoDir` (packages/interop/proto, where the script's folder is
 * found too) into a temporary directory, removed again by `close()`. Rejects with what to install
 * when Python's grpcio is missing.
 */
export async function startGrpcioServer(protoDir: string): Promise<ReferenceServer> {
  await run(python, ["-c", "import grpc, grpc_tools.protoc"]).catch((error: Error) => {
    throw new Error(`${missing} (${error.message.split("\n").find((line) => line.includes("Error")) ?? error.message})`);
  });
  const stubs = mkdtempSync(path.join(tmpdir(), "tsgrpc-grpcio-stubs-"));
  let child: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  try {
    // Only the messages: the handlers are registered by method path, and a package named
    // `grpc.testing` would be shadowed by grpcio's own `grpc` package.
    const testing = path.join(protoDir, "grpc", "testing");
    await run(python, ["-m", "grpc_tools.protoc", `-I${testing}`, `--python_out=${stubs}`, path.join(testing, "messages.proto")]);
    const script = path.join(protoDir, "..", "src", "reference", "grpcio-server.py");
    child = spawn(python, [script, "--port", "0", "--stubs", stubs], { stdio: ["pipe", "pipe", "pipe"] });
    const port = await listeningPort(child);
    const started = child;
    return {
      port,
      close: async () => {
        await stop(started);
        rmSync(stubs, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (child) await stop(child);
    rmSync(stubs, { recursive: true, force: true });
    throw error;
  }
}

/** The port the server prints once it serves; rejects with its stderr if it exits or stalls. */
function listeningPort(child: ChildProcessByStdio<Writable, Readable, Readable>, withinMs = 20_000): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /listening on port (\d+)/.exec(stdout);
      if (found) done(() => resolve(Number(found[1])));
    };
    const onStderr = (chunk: Buffer) => (stderr += chunk.toString());
    const onExit = (code: number | null) => done(() => reject(new Error(`the grpcio server exited (code ${code}): ${stderr.trim()}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`the grpcio server did not start in ${withinMs} ms: ${stderr.trim()}`))), withinMs);
    const done = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout.off("data", onStdout);
      child.off("exit", onExit);
      // Keep draining stderr (a full pipe would block the server), now to nowhere.
      child.stderr.off("data", onStderr);
      child.stderr.resume();
      child.stdout.resume();
      settle();
    };
    child.stdout.on("data", onStdout);
    child.stderr.on("data", onStderr);
    child.once("exit", onExit);
  });
}

/** Closes the server's stdin, which stops it; kills it if it has not exited within `graceMs`. */
async function stop(child: ChildProcessByStdio<Writable, Readable, Readable>, graceMs = 5000): Promise<void> {
  // 'close': the process has exited and its three pipes are closed, so no handle is left behind.
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  if (child.exitCode === null && child.signalCode === null) {
    child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await closed;
    clearTimeout(timer);
  } else if (!child.stdout.closed || !child.stderr.closed) {
    await closed;
  }
}
