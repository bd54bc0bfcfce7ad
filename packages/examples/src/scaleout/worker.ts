// One of the scale-out example's server processes: the users server on 127.0.0.1 (port 0 picks a
// free one; `--port=50051` fixes it). Forked by the demo (it reports its port over IPC and stops
// on "stop"), or run on its own: `node dist/scaleout/worker.js --port=50051`.
import { parseArgs } from "node:util";
import { server } from "@tsgrpc/runtime";
import { addUsersServicerToServer } from "../gen/users/users_grpc.js";
import { ServedByUsersService } from "./served-by-service.js";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" } } });
const srv = server();
addUsersServicerToServer(new ServedByUsersService(() => {}), srv);
const port = await srv.addInsecurePort(`127.0.0.1:${values.port}`);
await srv.start();
const stop = () => void srv.stop(1).then(() => process.disconnect?.());
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
process.on("message", (message) => message === "stop" && stop());
if (process.send) process.send({ port });
else console.log(`users server ${process.pid} listening on port ${port}`);
