import { join } from "node:path";
import type { Channel } from "@tsgrpc/runtime";
import { checkLeaksAfterAll, forkTs, type TsChild } from "@tsgrpc/test-utils";
import { UsersStub } from "../gen/users/users_grpc.js";
import { balancedChannel } from "./balanced-channel.js";
import { servedByHeader } from "./served-by-service.js";

checkLeaksAfterAll();

const processes = 3;

describe("scale-out: server processes behind one round_robin channel", () => {
  let children: TsChild[] = [];
  let channel: Channel;
  let stub: UsersStub;

  beforeAll(async () => {
    children = Array.from({ length: processes }, () => forkTs(join(__dirname, "worker.ts")));
    const ports = await Promise.all(children.map((child) => child.message<{ port: number }>().then((m) => m.port)));
    channel = balancedChannel("127.0.0.1", ports);
    stub = new UsersStub(channel);
  });
  afterAll(async () => {
    channel?.close();
    await Promise.all(children.map((child) => child.close()));
  });

  /** Makes `n` calls one after another and counts them by the pid that served each. */
  async function spread(n: number): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const [, call] = await stub.CreateUser.withCall({ username: `user${i}` }, { timeout: 5, waitForReady: true });
      const pid = String((await call.initialMetadata()).get(servedByHeader));
      counts.set(pid, (counts.get(pid) ?? 0) + 1);
    }
    return counts;
  }

  it("spreads calls across every process", async () => {
    // round_robin connects to every address at once but sends calls only to the connections
    // that are ready: warm up until each process has served one, then count.
    const pids = children.map((child) => String(child.process.pid));
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < processes; i++) for (const pid of (await spread(1)).keys()) seen.add(pid);
    const counts = await spread(30);
    expect([...counts.keys()].sort()).toEqual([...pids].sort());
    for (const count of counts.values()) expect(count).toBe(30 / processes);
  });

  it("keeps serving, from the others, when one process is killed", async () => {
    const [victim, ...survivors] = children;
    victim?.process.kill("SIGKILL");
    await victim?.close();
    const counts = await spread(30);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(30);
    expect([...counts.keys()].sort()).toEqual(survivors.map((child) => String(child.process.pid)).sort());
  });

  it("retries an UNAVAILABLE call on another process when one dies under load", async () => {
    const survivors = children.filter((child) => child.process.exitCode === null && child.process.signalCode === null);
    const calls = Array.from({ length: 40 }, (_, i) => stub.CreateUser({ username: `burst${i}` }, { timeout: 5 }));
    survivors[0]?.process.kill("SIGKILL");
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  });
});
