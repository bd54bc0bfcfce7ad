/** The orchestrator's handle on a forked worker process (server or client of one implementation). */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WorkerReady, WorkerReply, WorkerRequest } from "./worker.js";

const workerPath = fileURLToPath(new URL("./worker.js", import.meta.url));

type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;

/** How workers are started: which `node` runs them. */
export interface WorkerOptions {
  /** The node binary of server and client processes (default: the orchestrator's). */
  execPath?: string | undefined;
}

/** A forked worker; `request()` sends one request and resolves to its reply. */
export class Worker {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;
  #node = "";
  /** The server's port (0 for clients), once `ready` resolved. */
  readonly ready: Promise<number>;

  /** `args` follow the role: a client's port, server pid and clock ticks per second. */
  constructor(
    role: "server" | "client",
    modulePath: string,
    exportName: string,
    args: readonly (string | number)[] = [],
    options: WorkerOptions = {},
  ) {
    this.#child = fork(workerPath, [role, modulePath, exportName, ...args.map(String)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      ...(options.execPath ? { execPath: options.execPath } : {}),
    });
    this.ready = new Promise((resolve, reject) => {
      const onExit = (code: number | null) => {
        const error = new Error(`${role} worker for ${exportName} of ${modulePath} exited (${code})`);
        reject(error);
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
      };
      this.#child.once("exit", onExit);
      this.#child.on("message", (message: WorkerReply | WorkerReady) => {
        if ("ready" in message) {
          this.#node = message.node;
          return resolve(message.ready);
        }
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if ("error" in message) pending?.reject(new Error(message.error));
        else pending?.resolve(message.result);
      });
    });
    this.ready.catch(() => {});
  }

  /** The worker's process id. */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** The Node version the worker runs on (`v24.…`), once `ready` resolved. */
  get node(): string {
    return this.#node;
  }

  /** Sends `request`; rejects if the worker fails it or exits first. */
  request<T>(request: Request): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ ...request, id });
    });
  }

  /** Asks the worker to stop, and kills it if it has not exited within 5 s. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once("exit", resolve));
    this.request({ kind: "stop" }).catch(() => {});
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5000);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
