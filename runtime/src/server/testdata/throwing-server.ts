// A server in its own process whose handler always throws, with the default logger: lets a test
// measure what handler errors write to this process's stderr. `argv[2]` is the server's
// `handlerErrorLogWindow` in seconds; with `argv[3]` "hook", an `onHandlerError` hook counts the
// errors. Over IPC: "count?" answers how many the hook saw; "stop" stops the server and disconnects.

import { serverUnderTest as server } from "../../server/testdata/server-under-test.js";
import { unaryUnaryRpcMethodHandler } from "../method-handlers.js";

class UserNotFoundError extends Error {}

const json = {
  requestDeserializer: (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as { id: number },
  responseSerializer: (message: unknown) => new TextEncoder().encode(JSON.stringify(message)),
};

let hookSaw = 0;
const srv = server({
  handlerErrorLogWindow: Number(process.argv[2] ?? "10"),
  ...(process.argv[3] === "hook" && {
    onHandlerError: () => {
      hookSaw++;
    },
  }),
});
srv.addRegisteredMethodHandlers("test.Users", {
  GetUser: unaryUnaryRpcMethodHandler((request: { id: number }) => {
    throw new UserNotFoundError(`no user ${request.id}`);
  }, json),
});
const port = await srv.addInsecurePort("127.0.0.1:0");
await srv.start();
process.on("message", (message) => {
  if (message === "count?") process.send?.({ hookSaw });
  if (message === "stop") void srv.stop(null).then(() => process.disconnect());
});
process.send?.({ port });
