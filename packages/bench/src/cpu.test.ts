import { readFileSync } from "node:fs";
import { cpuPerOp, parseStatCpuTicks } from "./cpu.js";

test("utime + stime come from fields 14 and 15 of /proc/<pid>/stat, whatever the command name holds", () => {
  const rest = "S 1 2 3 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 11 0 12345 1187319808 17330";
  expect(parseStatCpuTicks(`4242 (node) ${rest}`)).toBe(325);
  expect(parseStatCpuTicks(`4242 (MainThread) (x) y) ${rest}`)).toBe(325);
  expect(() => parseStatCpuTicks("garbage")).toThrow(/cannot read utime and stime/);
});

test("CPU per operation is the difference of two samples over the operations", () => {
  expect(cpuPerOp({ serverUs: 1_000_000, clientUs: 500 }, { serverUs: 1_300_000, clientUs: 200_500 }, 1000)).toEqual({
    serverCpuUs: 300,
    clientCpuUs: 200,
  });
});

test("this process's own stat line parses (Linux)", () => {
  expect(parseStatCpuTicks(readFileSync("/proc/self/stat", "utf8"))).toBeGreaterThanOrEqual(0);
});
