/** Reading the summary table of `strace -c`. */

/** Calls per syscall name, from the summary table `strace -c` writes. */
export function parseStraceSummary(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of text.split("\n")) {
    // % time, seconds, usecs/call, calls, [errors,] syscall
    const match = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (match && match[2] !== "total") counts[match[2] as string] = Number(match[1]);
  }
  return counts;
}

const groups = {
  writes: ["write", "writev", "sendmsg", "sendto", "sendmmsg", "pwrite64"],
  reads: ["read", "readv", "recvmsg", "recvfrom", "recvmmsg", "pread64"],
  epoll_wait: ["epoll_wait", "epoll_pwait", "epoll_pwait2"],
  futex: ["futex"],
} as const;

/** Sums the counts of a group of syscalls (`writes` covers write, writev, sendmsg …). */
export function countOf(counts: Record<string, number>, group: keyof typeof groups | "total"): number {
  if (group === "total") return Object.values(counts).reduce((sum, n) => sum + n, 0);
  return groups[group].reduce((sum, name) => sum + (counts[name] ?? 0), 0);
}
