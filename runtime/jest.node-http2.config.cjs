// The runtime's real-server suites once more, on the node-http2 server transport: the one switch
// (TSGRPC_TEST_SERVER_TRANSPORT, read by test-utils' serverUnderTest and startTestServer) instead
// of copies of the suites. The default project (jest.config.cjs) runs them on grpc-js.
const preset = require("../jest.preset.cjs")(__dirname);

module.exports = {
  ...preset,
  displayName: "runtime (node-http2 server)",
  testMatch: ["<rootDir>/src/{server,health,reflection,diagnostics}/**/*.int.test.ts"],
  setupFiles: ["<rootDir>/jest.node-http2.setup.cjs"],
};
