// The runtime's client suites once more, on the node-http2 client transport: the one switch
// (TSGRPC_TEST_CLIENT_TRANSPORT, read by test-utils' insecureChannelUnderTest and startTestServer)
// instead of copies of the suites. The default project (jest.config.cjs) runs them on grpc-js, the
// default client transport until the client's step 2.
const preset = require("../jest.preset.cjs")(__dirname);

module.exports = {
  ...preset,
  displayName: "runtime (node-http2 client)",
  testMatch: ["<rootDir>/src/client/**/*.int.test.ts"],
  // The soak runs on the default transport only (see client-soak.int.test.ts).
  testPathIgnorePatterns: ["/node_modules/", "soak\\.int\\.test"],
  setupFiles: ["<rootDir>/jest.node-http2-client.setup.cjs"],
};
