// `npm run client -w @tsgrpc/examples -- [host:port]`: the users client against a running server.
import { insecureChannel } from "@tsgrpc/runtime";
import { runUsersClient } from "./client.js";

using channel = insecureChannel(process.argv[2] ?? "127.0.0.1:50051");
await runUsersClient(channel);
