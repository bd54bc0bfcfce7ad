export { activeResources, checkLeaksAfterAll, expectNoLeaks, extraResources, type ResourceCounts } from "./leaks.js";
export { jsonMethod, jsonSerializers } from "./json-method.js";
export { type RpcKind, rpcKinds, rpcShapes } from "./rpc-kinds.js";
export { type Deferred, deferred, sleep } from "./deferred.js";
export { startTestServer, type TestServer } from "./test-server.js";
export { forkTs, type TsChild } from "./child-process.js";
