// The runtime's real-server suites once more, on the grpc-js server transport: the one switch
// (TSGRPC_TEST_SERVER_TRANSPORT, read by test-utils' serverUnderTest and startTestServer) instead
// of copies of the suites. The default project (jest.config.cjs) runs them on node-http2, the
// default transport.
const preset = require("../jest.preset.cjs")(__dirname);

module.exports = {
  ...preset,
  displayName: "runtime (grpc-js server)",
  testMatch: ["<rootDir>/src/{server,health,reflection,diagnostics}/**/*.int.test.ts"],
  // The soak runs on the default transport only (see server-soak.int.test.ts).
  testPathIgnorePatterns: ["/node_modules/", "soak\\.int\\.test"],
  setupFiles: ["<rootDir>/jest.grpc-js.setup.cjs"],
};
