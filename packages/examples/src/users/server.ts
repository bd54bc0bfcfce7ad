import { type Server, server } from "@tsgrpc/runtime";
import { addUsersServicerToServer } from "../gen/users/users_grpc.js";
import { UsersService } from "./users-service.js";

/** Starts the users server on `address` (port 0 picks a free one) and resolves to it and its port. */
export async function startUsersServer(
  address: string,
  log: (line: string) => void = console.log,
): Promise<{ server: Server; port: number }> {
  // The stall monitor is on in every example: a blocked event loop is reported, naming the RPCs.
  const srv = server({ stallMonitor: { thresholdMs: 200 } });
  addUsersServicerToServer(new UsersService(log), srv);
  const port = await srv.addInsecurePort(address);
  await srv.start();
  log(`users server listening on port ${port}`);
  return { server: srv, port };
}
