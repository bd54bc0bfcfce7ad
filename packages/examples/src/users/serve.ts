// `npm run serve -w @tsgrpc/examples -- [port]`: the users server on its own, until Ctrl-C.
import { startUsersServer } from "./server.js";

const port = process.argv[2] ?? "50051";
const { server } = await startUsersServer(`127.0.0.1:${port}`);
process.once("SIGINT", () => void server.stop(5));
process.once("SIGTERM", () => void server.stop(5));
await server.waitForTermination();
