export { activeResources, checkLeaksAfterAll, expectNoLeaks, extraResources, type ResourceCounts } from "./leaks.js";
export { jsonMethod } from "./json-method.js";
export { type Deferred, deferred, sleep } from "./deferred.js";
export { startTestServer, type TestServer } from "./test-server.js";
export { type KeyAndCertificate, makeTestCertificates, type TestCertificates } from "./certificates.js";
export { untilAborted } from "./aborted.js";
export { expectDeadlineEnding, type ServerEnding } from "./server-ending.js";
export { type RecordedMessage, type RecordedRequest, type RecordingServer, startRecordingServer } from "./recording-server.js";
