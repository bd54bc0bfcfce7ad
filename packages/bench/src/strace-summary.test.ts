import { countOf, parseStraceSummary } from "./strace-summary.js";

// What strace 6.1 writes with -c -f -o (one row has errors, total last).
const summary = `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 62.10    0.004130           2      2000           writev
 20.00    0.001330           0      3010           epoll_pwait
  9.90    0.000658           0      1200       200 futex
  5.00    0.000333           0      1000           read
  3.00    0.000200           0        10           write
------ ----------- ----------- --------- --------- ----------------
100.00    0.006651           0      7220       200 total
`;

test("the summary table gives calls per syscall, without the total row", () => {
  expect(parseStraceSummary(summary)).toEqual({ writev: 2000, epoll_pwait: 3010, futex: 1200, read: 1000, write: 10 });
  expect(parseStraceSummary("")).toEqual({});
});

test("groups add up the syscalls of one kind", () => {
  const counts = parseStraceSummary(summary);
  expect(countOf(counts, "writes")).toBe(2010);
  expect(countOf(counts, "epoll_wait")).toBe(3010);
  expect(countOf(counts, "reads")).toBe(1000);
  expect(countOf(counts, "total")).toBe(7220);
});
