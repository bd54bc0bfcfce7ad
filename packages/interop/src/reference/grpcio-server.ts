// Runs the grpcio reference server (./grpcio-server.py, Python's grpcio on C-core) in a child
// process: the C-core peer our client is checked against. It sees how each request arrived
// (compressed or not), which no grpc-js server can.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";
import type { ServerKeyPair } from "../interop-server.js";
import type { ReferenceServer } from "./grpc-js-server.js";
import { python, pythonStubs } from "./python.js";

/**
 * Starts the grpcio TestService server on 127.0.0.1 and a free port, plaintext, or TLS with `tls`'s
 * key and certificate. Its message
 * classes are generated from `protoDir` (packages/interop/proto, where the script's folder is
 * found too) into a temporary directory, removed again by `close()`. Rejects with what to install
 * when Python's grpcio is missing.
 */
export async function startGrpcioServer(protoDir: string, tls?: ServerKeyPair): Promise<ReferenceServer> {
  const stubs = await pythonStubs(protoDir);
  let child: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  try {
    const script = path.join(protoDir, "..", "src", "reference", "grpcio-server.py");
    const tlsArgs: string[] = [];
    if (tls) {
      writeFileSync(path.join(stubs.dir, "server.key"), tls.privateKey);
      writeFileSync(path.join(stubs.dir, "server.pem"), tls.certificateChain);
      tlsArgs.push("--key_file", path.join(stubs.dir, "server.key"), "--cert_file", path.join(stubs.dir, "server.pem"));
    }
    child = spawn(python, [script, "--port", "0", "--stubs", stubs.dir, ...tlsArgs], { stdio: ["pipe", "pipe", "pipe"] });
    const port = await listeningPort(child);
    const started = child;
    return {
      port,
      close: async () => {
        await stop(started);
        stubs.remove();
      },
    };
  } catch (error) {
    if (child) await stop(child);
    stubs.remove();
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
    const timer = setTimeout(
      () => done(() => reject(new Error(`the grpcio server did not start in ${withinMs} ms: ${stderr.trim()}`))),
      withinMs,
    );
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
