import { timeoutToMs } from "../core/deadline.js";
import type { Logger } from "../core/logger.js";

/** Who failed: the handler (or an interceptor) serving the RPC, or the server's `onHandlerError` hook. */
export type ErrorSource = "handler" | "hook";

/** Seconds per summary of repeated handler errors, unless `handlerErrorLogWindow` says otherwise. */
export const defaultHandlerErrorLogWindow = 10;

/** How many method × error class kinds are counted one by one; beyond it they share one count. */
export const maxTrackedKinds = 100;

interface Kind {
  subject: string;
  errorClass: string;
  /** Errors of this kind since the last summary, not logged one by one. */
  suppressed: number;
  /** Logged in full since the last tick: kept for at least one whole window. */
  fresh: boolean;
}

/**
 * The log of a server's handler errors, bounded so that a handler failing on every call cannot
 * flood it: the first error of each method and error class is logged with its stack, the next ones
 * are counted, and once per window a line says how many there were ("…failed 1,932 more times
 * with TypeError in the last 10 s"), only for kinds that had some. A kind quiet for a whole window
 * is forgotten, so its next error is logged in full again. At most `maxKinds` kinds are tracked;
 * errors of further kinds share one count. The timer is unref'd and runs only while kinds are
 * tracked; `close()` logs what is pending and clears it.
 */
export class HandlerErrorLog {
  readonly #logger: Logger | null;
  readonly #windowMs: number;
  readonly #windowText: string;
  readonly #maxKinds: number;
  readonly #kinds = new Map<string, Kind>();
  #others: Kind | null = null;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** `window` in seconds; 0 logs every error in full. `logger` null logs nothing. */
  constructor(logger: Logger | null, window: number, maxKinds = maxTrackedKinds) {
    this.#logger = logger;
    this.#windowMs = timeoutToMs(window);
    this.#windowText = `${window} s`;
    this.#maxKinds = maxKinds;
  }

  /** Logs `error` from `source` while serving `method`, or counts it if one like it was logged. */
  report(method: string, error: unknown, source: ErrorSource = "handler"): void {
    if (this.#logger === null) return;
    const subject = source === "handler" ? `the handler of ${method}` : `the onHandlerError hook for ${method}`;
    if (this.#windowMs === 0 || this.#closed) {
      this.#write(`tsgrpc: ${subject} failed: ${textOf(error)}`);
      return;
    }
    const errorClass = errorClassOf(error);
    const key = `${source} ${method} ${errorClass}`;
    let kind = this.#kinds.get(key) ?? null;
    if (kind === null && this.#kinds.size >= this.#maxKinds) kind = this.#others;
    if (kind !== null) {
      kind.suppressed++;
      return;
    }
    kind = { subject, errorClass, suppressed: 0, fresh: true };
    if (this.#kinds.size < this.#maxKinds) this.#kinds.set(key, kind);
    else this.#others = kind;
    this.#write(`tsgrpc: ${subject} failed: ${textOf(error)}`);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), this.#windowMs);
      this.#timer.unref();
    }
  }

  /** Logs the counts still pending and stops the timer; errors reported later are logged in full. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const kind of this.#all()) this.#summarize(kind);
    this.#kinds.clear();
    this.#others = null;
  }

  #tick(): void {
    for (const [key, kind] of this.#kinds) if (this.#age(kind)) this.#kinds.delete(key);
    if (this.#others !== null && this.#age(this.#others)) this.#others = null;
    if (this.#kinds.size === 0 && this.#others === null) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Summarizes a kind's window; true if the kind was quiet for a whole window and can be forgotten. */
  #age(kind: Kind): boolean {
    const quiet = kind.suppressed === 0 && !kind.fresh;
    this.#summarize(kind);
    kind.fresh = false;
    return quiet;
  }

  #summarize(kind: Kind): void {
    const n = kind.suppressed;
    if (n === 0) return;
    kind.suppressed = 0;
    const times = `${n.toLocaleString("en-US")} more ${n === 1 ? "time" : "times"}`;
    this.#write(
      kind === this.#others
        ? `tsgrpc: handlers failed ${times} in the last ${this.#windowText} with other errors (more than ${this.#maxKinds} kinds of method and error class at once)`
        : `tsgrpc: ${kind.subject} failed ${times} with ${kind.errorClass} in the last ${this.#windowText}`,
    );
  }

  *#all(): Iterable<Kind> {
    yield* this.#kinds.values();
    if (this.#others !== null) yield this.#others;
  }

  #write(line: string): void {
    try {
      this.#logger?.error(line);
    } catch (loggerError) {
      // Bounded like the lines themselves: the logger is only called as often as they are written.
      process.emitWarning(`tsgrpc: the server's logger threw: ${textOf(loggerError)} (while writing: ${line})`);
    }
  }
}

/**
 * What errors are grouped by: the constructor's name (`TypeError`, `UserNotFoundError`), or for a
 * thrown value that is not an object, its type (`string`, `undefined`; `null` for null).
 */
export function errorClassOf(error: unknown): string {
  if (error === null) return "null";
  if (typeof error !== "object" && typeof error !== "function") return typeof error;
  try {
    const ctor: unknown = (error as { constructor?: unknown }).constructor;
    if (typeof ctor !== "function") return "Object";
    return ctor.name === "" ? "(anonymous class)" : ctor.name;
  } catch {
    return "Object";
  }
}

/** The error's stack (which starts with its message), or the thrown value as text. */
function textOf(error: unknown): string {
  try {
    return error instanceof Error ? (error.stack ?? error.message) : String(error);
  } catch {
    return "(an unprintable value)";
  }
}
