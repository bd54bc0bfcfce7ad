// `npm run demo:errors`: the error handling example. A users server that validates its input;
// the client sends bad usernames and prints the field violations it reads from the error.
import { insecureChannel, RpcError, StatusCode, server } from "@tsgrpc/runtime";
import { addUsersServicerToServer, UsersStub } from "../gen/users/users_grpc.js";
import { badRequestOf } from "./bad-request.js";
import { ValidatingUsersService } from "./validating-users-service.js";

const srv = server();
addUsersServicerToServer(new ValidatingUsersService(() => {}), srv);
const port = await srv.addInsecurePort("127.0.0.1:0");
await srv.start();
const channel = insecureChannel(`127.0.0.1:${port}`);
const stub = new UsersStub(channel);
try {
  for (const username of ["tom", "", "Tom Jones", "x".repeat(40)]) {
    try {
      const { user } = await stub.CreateUser({ username }, { timeout: 5 });
      console.log(`created ${JSON.stringify(username)} with id ${user?.userId}`);
    } catch (error) {
      const badRequest = badRequestOf(error);
      if (!(error instanceof RpcError) || error.code() !== StatusCode.INVALID_ARGUMENT || badRequest === null) throw error;
      console.log(`rejected ${JSON.stringify(username)}: ${error.details()}`);
      for (const v of badRequest.fieldViolations) console.log(`  ${v.field}: ${v.reason} (${v.description})`);
    }
  }
} catch (error) {
  console.error("demo failed:", error);
  process.exitCode = 1;
} finally {
  channel.close();
  await srv.stop(1);
}
