export { untilAborted } from "./aborted.js";
export { type KeyAndCertificate, makeTestCertificates, type TestCertificates } from "./certificates.js";
export {
  insecureChannelUnderTest,
  needsClientStep2,
  secureChannelUnderTest,
  testClientTransport,
} from "./channel-under-test.js";
export { forkTs, type TsChild } from "./child-process.js";
export { type Deferred, deferred, sleep } from "./deferred.js";
export { settledHeapBytes, settledMemory } from "./heap.js";
export { jsonMethod, jsonSerializers } from "./json-method.js";
export { activeResources, checkLeaksAfterAll, expectNoLeaks, extraResources, type ResourceCounts } from "./leaks.js";
export { frame, type RawAnswer, rawGrpcCall } from "./raw-grpc.js";
export { type RecordedMessage, type RecordedRequest, type RecordingServer, startRecordingServer } from "./recording-server.js";
export { type RpcKind, rpcKinds, rpcShapes } from "./rpc-kinds.js";
export { rpcStatus } from "./rpc-status.js";
export { expectDeadlineEnding, type ServerEnding } from "./server-ending.js";
export { serverUnderTest, type TestServerTransport, testServerTransport } from "./server-under-test.js";
export { settled } from "./settled.js";
export { startTestServer, type TestServer } from "./test-server.js";
export { type PairedServer, type TransportPair, transportPairs } from "./transport-pairs.js";
