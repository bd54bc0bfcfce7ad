// `npm run demo:web`: the users tutorial's web app. Starts the users gRPC server and, in front of
// it, the HTTP gateway; fetches `/users/?name=alexa&name=christie` once to show the stream, then
// serves until Ctrl-C (open the printed URL). `npm run demo:web -- --once` exits after the fetch.
// The gateway's port: `PORT` (default 8080; 0 picks a free one).
import { insecureChannel } from "@tsgrpc/runtime";
import { UsersStub } from "../gen/users/users_grpc.js";
import { startUsersServer } from "../users/server.js";
import { startWebGateway } from "./gateway.js";

const { server, port: grpcPort } = await startUsersServer("127.0.0.1:0", (line) => console.log(`[grpc] ${line}`));
const channel = insecureChannel(`127.0.0.1:${grpcPort}`);
const gateway = await startWebGateway(new UsersStub(channel), "127.0.0.1", Number(process.env.PORT ?? 8080));
const base = `http://127.0.0.1:${gateway.port}`;
console.log(`[web] open ${base}/ or: curl -N '${base}/users/?name=alexa&name=christie'`);

async function shutDown(): Promise<void> {
  await gateway.close();
  channel.close();
  await server.stop(1);
}

try {
  const response = await fetch(`${base}/users/?name=alexa&name=christie`);
  console.log(`[web] GET /users/ → ${response.status} ${response.headers.get("content-type")}`);
  for (const line of (await response.text()).split("\n").filter(Boolean)) console.log(`[web]   ${line}`);
} catch (error) {
  console.error("demo failed:", error);
  process.exitCode = 1;
}
if (process.argv.includes("--once") || process.exitCode) {
  await shutDown();
} else {
  const stop = () => void shutDown();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
