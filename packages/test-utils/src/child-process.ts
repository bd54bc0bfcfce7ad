import { type ChildProcess, fork } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** A child node process running a TypeScript file, with an IPC channel to it. */
export interface TsChild {
  process: ChildProcess;
  /** The next IPC message from the child that `accept` returns true for. */
  message<T>(accept?: (message: T) => boolean): Promise<T>;
  /** Kills the child (if still running) and resolves once it has exited. */
  close(): Promise<void>;
}

/**
 * Forks `node` on the TypeScript file `file` (transpiled on the fly, no build needed). For tests
 * that need a peer in another process, e.g. to measure how far a server runs ahead of a client.
 */
export function forkTs(file: string, args: string[] = [], options: { pipeStderr?: boolean } = {}): TsChild {
  // Resolved here, not at import: under jest `__dirname` exists, in a child run as ESM it does not.
  const register = path.join(__dirname, "..", "loader", "register.mjs");
  const child = fork(file.startsWith("file:") ? fileURLToPath(file) : file, args, {
    execArgv: ["--import", register],
    // The environment as the test sees it (jest gives each file its own copy): the transport under test, above all.
    env: { ...process.env },
    // pipeStderr: the test reads what the child writes to stderr from `process.stderr`.
    stdio: ["ignore", "inherit", options.pipeStderr ? "pipe" : "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    message<T>(accept: (message: T) => boolean = () => true) {
      return new Promise<T>((resolve, reject) => {
        const onMessage = (message: T) => {
          if (!accept(message)) return;
          cleanup();
          resolve(message);
        };
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`child ${file} exited (code ${code}) before sending the message`));
        };
        const cleanup = () => {
          child.off("message", onMessage);
          child.off("exit", onExit);
        };
        child.on("message", onMessage);
        child.once("exit", onExit);
      });
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}
