/**
 * CPU time of the benchmark's two processes, sampled by the client around a measured interval:
 * the server's from `/proc/<pid>/stat` (utime + stime of all its threads, in clock ticks), the
 * client's own from `process.cpuUsage()` (getrusage, µs).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** utime + stime (fields 14 and 15) of a `/proc/<pid>/stat` line, in clock ticks. */
export function parseStatCpuTicks(stat: string): number {
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`cannot read utime and stime from ${JSON.stringify(stat.slice(0, 80))}`);
  return ticks;
}

/** The kernel's clock ticks per second (`getconf CLK_TCK`; 100 on Linux if getconf fails). */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    if (ticks > 0) return ticks;
  } catch {
    // getconf is missing: Linux's USER_HZ is 100 everywhere it runs.
  }
  return 100;
}

/** CPU µs spent so far by the server process and by this (client) process. */
export interface CpuSample {
  serverUs: number;
  clientUs: number;
}

/** A sampler of `serverPid`'s CPU time (ticks at `ticksPerSecond`) and of this process's. */
export function cpuSampler(serverPid: number, ticksPerSecond: number): () => CpuSample {
  return () => {
    const own = process.cpuUsage();
    const ticks = parseStatCpuTicks(readFileSync(`/proc/${serverPid}/stat`, "utf8"));
    return { serverUs: (ticks * 1e6) / ticksPerSecond, clientUs: own.user + own.system };
  };
}

/** CPU µs per operation of each process between two samples. */
export function cpuPerOp(before: CpuSample, after: CpuSample, ops: number): { serverCpuUs: number; clientCpuUs: number } {
  return {
    serverCpuUs: (after.serverUs - before.serverUs) / ops,
    clientCpuUs: (after.clientUs - before.clientUs) / ops,
  };
}
