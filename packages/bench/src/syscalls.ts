/**
 * `--strace`: system calls per unary call, counted by `strace -c -f -p <pid>` attached to the server
 * and to the client around a fixed number of calls (after a warm-up). Optional: strace is looked up
 * on PATH and the section says so when it is absent; nothing else depends on it.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Section } from "./report.js";
import { fail, push, type Rounds, type RunContext, type RunnableImpl, startPair } from "./runner.js";
import { countOf, parseStraceSummary } from "./strace-summary.js";

/** The path of strace, or undefined. */
export function findStrace(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v strace"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Runs `strace -c -f -p <pid>` until the returned stop() is called; resolves to the counts. */
async function attach(strace: string, pid: number, dir: string): Promise<{ stop(): Promise<Record<string, number>> }> {
  const out = join(dir, `strace-${pid}.txt`);
  const child = spawn(strace, ["-c", "-f", "-p", String(pid), "-o", out], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/attached/.test(stderr)) resolve();
    });
    void exited.then((code) => reject(new Error(`strace exited (${code}) before attaching: ${stderr.trim()}`)));
  });
  return {
    async stop() {
      child.kill("SIGINT");
      await exited;
      return parseStraceSummary(readFileSync(out, "utf8"));
    },
  };
}

const shown = ["writes", "epoll_wait", "total"] as const;

/**
 * For each implementation and concurrency: a fresh pair, a warm-up, then strace on both processes
 * while the client makes `config.straceCalls` calls. One round: counts barely vary.
 */
export async function runSyscallCounts(impls: RunnableImpl[], ctx: RunContext): Promise<Section[]> {
  const strace = findStrace();
  const note = (concurrency: number) =>
    `System calls per unary call at concurrency ${concurrency}: \`strace -c -f -p <pid>\` on the server and on the client while the client makes ${ctx.config.straceCalls.toLocaleString("en-US")} calls (after ${ctx.config.unaryWarmupCalls.toLocaleString("en-US")} unmeasured ones), all threads. "writes" counts write, writev, sendmsg and sendto; "epoll_wait" also epoll_pwait. strace slows both processes down, so only the counts mean anything.`;
  if (!strace) {
    return [
      {
        id: "syscalls-c1",
        title: "Syscalls per unary call",
        note: "Not measured: `strace` is not on PATH (Debian: `apt-get install strace`).",
        metrics: [],
      },
    ];
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-strace-"));
  const sections: Section[] = [];
  try {
    for (const concurrency of [1, 64] as const) {
      ctx.log(`syscalls, concurrency ${concurrency}`);
      const metrics: Record<string, Rounds> = {};
      for (const impl of impls.filter((i) => !i.unavailable && !i.slowConsumerOnly)) {
        let pair: Awaited<ReturnType<typeof startPair>> | undefined;
        try {
          pair = await startPair(impl, ctx);
          await pair.client.request({ kind: "unaryCalls", concurrency, calls: ctx.config.unaryWarmupCalls });
          const traced = await Promise.all([attach(strace, pair.server.pid, dir), attach(strace, pair.client.pid, dir)]);
          const calls = await pair.client.request<number>({ kind: "unaryCalls", concurrency, calls: ctx.config.straceCalls });
          const [server, client] = await Promise.all(traced.map((t) => t.stop()));
          for (const [side, counts] of [
            ["server", server],
            ["client", client],
          ] as const) {
            for (const group of shown) push((metrics[`${side} ${group}/call`] ??= {}), impl.id, countOf(counts ?? {}, group) / calls);
          }
        } catch (error) {
          fail(impl, `syscall count c=${concurrency}`, error);
        } finally {
          await pair?.stop();
        }
      }
      sections.push({
        id: `syscalls-c${concurrency}`,
        title: `Syscalls per unary call, concurrency ${concurrency}`,
        note: note(concurrency),
        metrics: Object.entries(metrics).map(([title, rounds]) => ({ title, rounds, digits: 2 })),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return sections;
}
