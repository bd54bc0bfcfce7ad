// `npm run demo`: the users tutorial end to end. Starts the server on a free port, runs the
// client against it, stops the server, and exits 0 (non-zero if anything went wrong).
import { insecureChannel } from "@tsgrpc/runtime";
import { runUsersClient } from "./client.js";
import { startUsersServer } from "./server.js";

const { server, port } = await startUsersServer("127.0.0.1:0", (line) => console.log(`[server] ${line}`));
const channel = insecureChannel(`127.0.0.1:${port}`);
try {
  await runUsersClient(channel, (line) => console.log(`[client] ${line}`));
  console.log("demo finished: all calls behaved as expected");
} catch (error) {
  console.error("demo failed:", error);
  process.exitCode = 1;
} finally {
  channel.close();
  await server.stop(1);
}
