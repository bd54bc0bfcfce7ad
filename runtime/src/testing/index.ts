/**
 * `@tsgrpc/runtime/testing`: test servicers in-process, like grpcio's `grpc_testing`, with no ports
 * and no HTTP/2. The testing server's `channel` goes through memory to a real server, so generated
 * stubs take it and every client form works (docs/testing.md); the `invoke…` methods drive a
 * handler by hand. Either way the handler gets a real ServicerContext (metadata, deadline, abort,
 * cancellation, streaming requests) through the same handler runner as over the network.
 *
 * @example
 * import { testingServer } from "@tsgrpc/runtime/testing";
 * await using t = await testingServer((s) => addUsersServicerToServer(new UsersService(), s));
 * const stub = new UsersStub(t.channel);
 * await expect(stub.CreateUser({ username: "" })).rejects.toThrow("username is required");
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
