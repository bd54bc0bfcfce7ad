/**
 * `@tsgrpc/runtime/testing`: unit-test servicers in-process, like grpcio's `grpc_testing`. Methods
 * are invoked with a real ServicerContext (metadata, deadline, abort, cancellation, streaming
 * requests) through the same handler runner as over the network, with no ports and no HTTP/2.
 *
 * @example
 * import { testingServer } from "@tsgrpc/runtime/testing";
 * await using t = await testingServer((s) => addUsersServicerToServer(new UsersService(), s));
 * const rpc = t.invokeUnaryUnary(Users.method.createUser, { username: "" });
 * expect((await rpc.termination()).code).toBe(StatusCode.INVALID_ARGUMENT);
 *
 * @packageDocumentation
 */
export {
  type InvokeOptions,
  type RequestOf,
  type ResponseOf,
  type StreamStreamTestRpc,
  type StreamUnaryTestRpc,
  type Termination,
  type TestingServer,
  type TestMethod,
  type TestRequests,
  type TestResponses,
  type TestRpc,
  testingServer,
  type UnaryStreamTestRpc,
  type UnaryTermination,
  type UnaryUnaryTestRpc,
} from "./testing-server.js";
