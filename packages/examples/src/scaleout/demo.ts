// `npm run demo:scaleout [-- --processes=3]`: the users server in N processes behind one client
// channel (round_robin over their addresses, retries on UNAVAILABLE). Makes 30 calls and shows
// which process served each, kills one process, and shows the calls carry on on the others.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { UsersStub } from "../gen/users/users_grpc.js";
import { balancedChannel } from "./balanced-channel.js";
import { servedByHeader } from "./served-by-service.js";

const { values } = parseArgs({ options: { processes: { type: "string", default: "3" } } });
const workerFile = fileURLToPath(new URL("./worker.js", import.meta.url));
const children: ChildProcess[] = Array.from({ length: Number(values.processes) }, () => fork(workerFile));
const ports = await Promise.all(children.map(async (child) => ((await once(child, "message")) as [{ port: number }])[0].port));
console.log(`${children.length} server processes on ports ${ports.join(", ")}`);
const channel = balancedChannel("127.0.0.1", ports);
const stub = new UsersStub(channel);

async function calls(n: number): Promise<string> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const [, call] = await stub.CreateUser.withCall({ username: `user${i}` }, { timeout: 5, waitForReady: true });
    const pid = String((await call.initialMetadata()).get(servedByHeader));
    counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  return [...counts].map(([pid, count]) => `pid ${pid}: ${count}`).join(", ");
}

try {
  await calls(children.length * 2); // let round_robin connect to every process
  console.log(`30 calls → ${await calls(30)}`);
  const victim = children[0] as ChildProcess;
  victim.kill("SIGKILL");
  await once(victim, "exit");
  console.log(`killed pid ${victim.pid}; 30 more calls → ${await calls(30)}`);
} catch (error) {
  console.error("demo failed:", error);
  process.exitCode = 1;
} finally {
  channel.close();
  for (const child of children) if (child.connected) child.send("stop");
  await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, "exit") : null)));
}
